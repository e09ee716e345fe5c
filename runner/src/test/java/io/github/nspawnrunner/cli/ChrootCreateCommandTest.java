package io.github.nspawnrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.host.Bootstrapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** chroot create's --builder takes the tools' own names, and only those; none leaves the choice to the script. */
class ChrootCreateCommandTest {
    private static ChrootCreateCommand parsed(String... args) {
        ChrootCreateCommand command = new ChrootCreateCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theBuilderIsNamedAsItsCommand() {
        assertEquals(Bootstrapper.DEBOOTSTRAP, parsed("demo", "--builder", "debootstrap").builder);
        assertEquals(Bootstrapper.MMDEBSTRAP, parsed("demo", "--builder", "mmdebstrap").builder);
        assertNull(parsed("demo").builder);
        List<String> completed = new ArrayList<>();
        new CommandLine(new ChrootCreateCommand()).getCommandSpec().findOption("--builder").completionCandidates()
                .forEach(completed::add);
        assertEquals(List.of("mmdebstrap", "debootstrap"), completed);
    }

    @Test
    void anyOtherBuilderIsAUsageError() {
        CommandLine.ParameterException error = assertThrows(CommandLine.ParameterException.class,
                () -> parsed("demo", "--builder", "cdebootstrap"));
        assertTrue(error.getMessage().contains("'cdebootstrap' is neither mmdebstrap nor debootstrap"), error.getMessage());
    }
}
