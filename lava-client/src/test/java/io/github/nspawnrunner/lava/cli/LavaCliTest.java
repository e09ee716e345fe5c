package io.github.nspawnrunner.lava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.AbortSignal;
import io.github.nspawnrunner.lava.LavaFlags;
import io.github.nspawnrunner.lava.LavaRuntime;
import io.github.nspawnrunner.lava.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The jar's command line in-process: help, version, usage errors of typed options; nothing is sent (no LAVA_URL). */
class LavaCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LavaRuntime runtime = new LavaRuntime(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, false, false, Ticker.SYSTEM, Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        int exit = new LavaCli(Map.of(), runtime, new AbortSignal()).run("lava", args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpAndVersion() {
        for (String command : new String[] {"submit", "monitor-file"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.exit(), help.err());
            assertTrue(help.out().startsWith("Usage: lava " + command + " "), help.out());
            assertTrue(help.out().contains("--poll-interval=SECONDS"), help.out());
        }
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("nspawn-runner lava "), version.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--poll-interval=soon | Invalid value for option '--poll-interval': the value must be a number of seconds, not 'soon'",
            "--cancel-wait=0 | Invalid value for option '--cancel-wait': the value must be more than 0 and at most 86400 seconds",
            "--max-retry-delay=90000 | Invalid value for option '--max-retry-delay': the value must be more than 0 and at most 86400 seconds, not '90000'",
            "--max-requests-per-minute=0 | Invalid value for option '--max-requests-per-minute': the value must be a whole number from 1 to 60000",
            "--cancel-on-abort=maybe | Invalid value for option '--cancel-on-abort': the value must be true or false, not 'maybe'",
            "--fail-on-test-failures=2 | Invalid value for option '--fail-on-test-failures': the value must be true or false",
            "--no-such-option | Unknown option: '--no-such-option'"})
    void aBadOptionIsAUsageErrorOfOneLineWithExit2(String option, String message) {
        Run run = run("submit", option, "job.yaml");
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("nspawn-runner: error: " + message), run.err());
        assertTrue(run.err().endsWith("(see 'lava submit --help')\n"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void booleansTakeWhatTheirVariablesTake() {
        assertEquals(LavaFlags.none(), flags(), "no option: the variables or the defaults decide");
        assertEquals(true, flags("--cancel-on-abort").cancelOnAbort().orElseThrow());
        assertEquals(false, flags("--no-cancel-on-abort").cancelOnAbort().orElseThrow());
        assertEquals(false, flags("--cancel-on-abort=no").cancelOnAbort().orElseThrow());
        assertEquals(true, flags("--fail-on-test-failures=1").failOnTestFailures().orElseThrow());
        assertEquals(Duration.ofMillis(2500), flags("--poll-interval=2.5s").pollInterval().orElseThrow());
        assertEquals(12, flags("--max-requests-per-minute", "12").maxRequestsPerMinute().orElseThrow());
    }

    private static LavaFlags flags(String... args) {
        LavaOptions options = new LavaOptions();
        new CommandLine(options).parseArgs(args);
        return options.flags();
    }

    @Test
    void theWordLavaThatOldWrappersPutFirstIsDropped() {
        assertArrayEquals(new String[] {"submit", "x.yaml"}, LavaCli.commandArgs("lava", "submit", "x.yaml"));
        assertArrayEquals(new String[] {"submit", "x.yaml"}, LavaCli.commandArgs("submit", "x.yaml"));
    }
}
