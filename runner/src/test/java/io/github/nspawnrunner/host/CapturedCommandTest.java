package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapturedCommandTest {
    @Test
    void handsTheInputOverAndReturnsTheOutput() {
        assertEquals("a\nb\n", CapturedCommand.run(List.of("cat"), "a\nb\n", "copying"));
    }

    @Test
    void aFailureIsOneLineWithTheCommandsFirstComplaint() {
        HostCommandException failure = assertThrows(HostCommandException.class, () -> CapturedCommand.run(
                List.of("sh", "-c", "cat >/dev/null; echo; echo 'Error: no such table' >&2; echo 'delete table x' >&2; exit 3"),
                "delete table x\n", "deleting table x"));
        assertEquals("deleting table x failed (sh exited 3: Error: no such table)", failure.getMessage());
    }

    @Test
    void aMissingProgramSaysSo() {
        HostCommandException failure = assertThrows(HostCommandException.class,
                () -> CapturedCommand.run(List.of("/nonexistent/nft"), "", "loading rules"));
        assertEquals(true, failure.getMessage().startsWith("loading rules: cannot run /nonexistent/nft"), failure.getMessage());
    }
}
