package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.lava.AbortSignal;
import io.github.nspawnrunner.lava.LavaClient;
import io.github.nspawnrunner.lava.LavaExitCode;
import io.github.nspawnrunner.lava.LavaFlags;
import io.github.nspawnrunner.lava.LavaRuntime;
import java.util.OptionalInt;

/**
 * Builds the LAVA client for the lava commands. Kept out of the command classes, which picocli
 * reflects on for every command line, so that only a lava command loads the lava package.
 */
final class LavaLaunch {
    private LavaLaunch() {
    }

    static LavaClient client(LavaOptions options) {
        LavaFlags flags = new LavaFlags(options.url, options.token, options.pollInterval, options.maxRequestsPerMinute,
                options.maxRetryDelay, text(options.cancelOnAbort), options.cancelWait, text(options.failOnTestFailures));
        AbortSignal abort = new AbortSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exitAfterAbort(abort), "lava-abort"));
        return new LavaClient(System.getenv(), flags, LavaRuntime.system(options.verbose), abort);
    }

    /**
     * SIGTERM (gitlab-runner cancelling the job, or the executor stopping the stage) and SIGINT run
     * the shutdown hooks; so does the normal System.exit at the end. Either way the hook hands the
     * abort to the polling thread, which cancels the jobs and ends its command, and then the hook
     * owns the exit: it halts with the command's code, so the JVM never ends half-way through
     * the cancel and never with a code the command did not choose. After a normal end the
     * command's code is already there and the hook returns at once.
     */
    private static void exitAfterAbort(AbortSignal abort) {
        OptionalInt code;
        try {
            code = abort.abort();
        } catch (InterruptedException e) {
            code = OptionalInt.empty();
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code.orElse(LavaExitCode.INTERRUPTED.code()));
    }

    private static String text(Boolean value) {
        return value == null ? null : value.toString();
    }
}
