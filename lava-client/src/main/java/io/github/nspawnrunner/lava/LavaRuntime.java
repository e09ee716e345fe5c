package io.github.nspawnrunner.lava;

import io.github.nspawnrunner.common.Log;
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

    /** This process's working directory, clock and terminal, with OUT and ERR for its output. */
    public static LavaRuntime system(PrintStream out, PrintStream err) {
        return new LavaRuntime(out, err, Path.of("").toAbsolutePath(), System.console() != null, false,
                Ticker.SYSTEM, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /** The same surroundings, with stack traces of failures shown or not (--verbose). */
    public LavaRuntime withVerbose(boolean value) {
        return new LavaRuntime(out, err, workDir, color, value, ticker, connectTimeout, requestTimeout);
    }

    LavaConsole console() {
        return new LavaConsole(out, new Log(err, verbose), color);
    }
}
