package io.github.nspawnrunner.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zsh completion the package installs (picocli's bash completion through zsh's bashcompinit),
 * found by a real interactive zsh's completion system in its fpath, as a user's TAB asks it.
 */
class ZshCompletionIT {
    private final BuiltPackage built = BuiltPackage.ofThisBuild();

    /** The command line after TAB, for each LINE typed into a fresh zsh in turn. */
    private List<String> afterTab(Map<String, String> environment, String... lines) {
        List<String> argv = new ArrayList<>(List.of("zsh", "-f", driver(), built.zshCompletion().getParent().toString()));
        argv.addAll(List.of(lines));
        BuiltPackage.Output output = BuiltPackage.run(environment, argv.toArray(String[]::new));
        assertEquals(0, output.exitCode(), output.toString());
        return output.stdout().lines().toList();
    }

    private static String driver() {
        try {
            return Path.of(ZshCompletionIT.class.getResource("/completion/zsh-complete.zsh").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void itIsAZshCompletionFunctionForNspawnRunner() throws IOException {
        assertEquals("#compdef nspawn-runner", Files.readAllLines(built.zshCompletion()).get(0));
    }

    @Test
    void theFirstTabCompletesASubcommandAndSoDoTheNextOnes() {
        // the first line is the first completion of the shell: the one that loads the file
        assertEquals(List.of("nspawn-runner chroot ", "nspawn-runner chroot create ", "nspawn-runner service install ",
                "nspawn-runner setup --no-"), afterTab(Map.of(), "nspawn-runner ch", "nspawn-runner chroot cr",
                "nspawn-runner service i", "nspawn-runner setup --no"));
    }

    @Test
    void itCompletesTheNameOfAnExistingChroot(@TempDir Path chroots) throws IOException {
        Files.createDirectories(chroots.resolve("trixie"));
        assertEquals(List.of("nspawn-runner chroot login trixie "),
                afterTab(Map.of("NSPAWN_RUNNER_CHROOTS_DIR", chroots.toString()), "nspawn-runner chroot login t"));
    }
}
