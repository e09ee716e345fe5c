package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Commands on this machine, outside any test host: what a test sets up underneath it (a loop device, say). */
final class ThisMachine {
    private ThisMachine() {
    }

    /** Runs ARGV to its end, fails the test unless it exits 0, and returns what it printed, stripped. */
    static String run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
        return output;
    }
}
