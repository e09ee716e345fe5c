package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
