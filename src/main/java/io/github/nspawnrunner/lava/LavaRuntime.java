package io.github.nspawnrunner.lava;

import io.github.nspawnrunner.executor.Log;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The surroundings of a command: its streams and working directory, and the time and timeouts
 * its requests run on (tests pass a virtual ticker and short timeouts).
 */
public record LavaRuntime(PrintStream out, PrintStream err, Path workDir, boolean color, boolean verbose, Ticker ticker,
                          Duration connectTimeout, Duration requestTimeout) {
    /** Long enough for a big log page through a slow proxy; a hung connection is retried after it. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    public static LavaRuntime system(boolean verbose) {
        return new LavaRuntime(System.out, System.err, Path.of("").toAbsolutePath(), System.console() != null, verbose,
                Ticker.SYSTEM, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    LavaConsole console() {
        return new LavaConsole(out, new Log(err, verbose), color);
    }
}
