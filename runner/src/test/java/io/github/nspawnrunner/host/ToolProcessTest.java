package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolProcessTest {
    @Test
    void aGoToolsLogLineIsItsMessage() {
        assertEquals("reading manifest 1 in r/x: unauthorized: authentication required \"quoted\"", ToolProcess.plain(
                "time=\"2026-12-03T16:53:41Z\" level=fatal msg=\"reading manifest 1 in r/x: unauthorized: authentication required"
                        + " \\\"quoted\\\"\""));
        assertEquals("plain line", ToolProcess.plain("plain line"));
    }

    @Test
    void runsWithOnlyTheGivenEnvironmentAndReportsTheLastComplaint() {
        List<String> progress = new ArrayList<>();
        byte[] out = ToolProcess.run(List.of("/bin/sh", "-c", "echo \"$HOME:$USER\"; echo working >&2"), Map.of("HOME", "/nowhere"),
                null, "testing", progress::add, false);
        assertEquals("/nowhere:\n", new String(out));
        assertEquals(List.of("working"), progress);
        HostCommandException e = assertThrows(HostCommandException.class, () -> ToolProcess.run(List.of("/bin/sh", "-c",
                "echo first >&2; echo 'level=fatal msg=\"the reason\"' >&2; exit 3"), Map.of(), null, "testing", line -> { }, true));
        assertEquals("testing failed (/bin/sh exited 3: the reason)", e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0);
    }

    @Test
    void aGuardStopsTheToolAtItsFirstBreachAndSaysWhy(@TempDir Path dir) {
        Path grown = dir.resolve("grown");
        long start = System.nanoTime();
        ToolStoppedException e = assertThrows(ToolStoppedException.class, () -> ToolProcess.run(List.of("/bin/sh", "-c",
                "touch \"$0\"; exec sleep 30", grown.toString()), Map.of("PATH", "/usr/bin:/bin"), null, "growing", line -> { }, true,
                () -> Files.exists(grown) ? Optional.of("it grew") : Optional.empty()));
        assertEquals("growing was stopped: it grew", e.getMessage());
        assertEquals("it grew", e.reason());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "killed, not waited for");
    }

    @Test
    void aGuardThatNeverBreachesLeavesTheToolAlone() {
        byte[] out = ToolProcess.run(List.of("/bin/sh", "-c", "sleep 0.5; echo done"), Map.of("PATH", "/usr/bin:/bin"), null,
                "waiting", line -> { }, false, Optional::empty);
        assertEquals("done\n", new String(out));
    }

    @Test
    void aGuardThatFailsStopsTheToolAsABreach() {
        // its child holds the output open: only when it is killed too does the run end before the sleep does
        ToolStoppedException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertThrows(
                ToolStoppedException.class, () -> ToolProcess.run(List.of("/bin/sh", "-c", "sleep 30 & wait"),
                        Map.of("PATH", "/usr/bin:/bin"), null, "watched", line -> { }, true, () -> {
                            throw new IllegalStateException("cannot look");
                        })));
        assertEquals("its watch failed: java.lang.IllegalStateException: cannot look", e.reason());
    }
}
