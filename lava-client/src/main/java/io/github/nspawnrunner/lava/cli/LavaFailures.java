package io.github.nspawnrunner.lava.cli;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.lava.AbortSignal;
import io.github.nspawnrunner.lava.LavaExitCode;
import io.github.nspawnrunner.lava.LavaInputException;
import io.github.nspawnrunner.lava.LavaServerException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one place where a failure of a lava command becomes a line on stderr and an exit code:
 * bad input 2 (nothing was sent), the server, a lost connection, an abort or our own bug 3.
 */
final class LavaFailures implements CommandLine.IExitCodeExceptionMapper {
    private final AbortSignal abort;

    LavaFailures(AbortSignal abort) {
        this.abort = abort;
    }

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof LavaInputException) {
            return LavaExitCode.BAD_INPUT.code();
        }
        if (failure instanceof InterruptedException) {
            return LavaExitCode.INTERRUPTED.code();
        }
        return LavaExitCode.SERVER_ERROR.code();
    }

    /** One line on LOG; a failure we did not foresee says it is one (its stack trace with --verbose). */
    void report(Log log, Throwable failure) {
        if (failure instanceof InterruptedException) {
            // the command's thread keeps its interrupt: the process's exit comes from the abort hook
            Thread.currentThread().interrupt();
            log.failure(new IllegalStateException(abort.requested() ? "interrupted (SIGTERM or SIGINT)" : "interrupted"));
        } else if (failure instanceof LavaInputException || failure instanceof LavaServerException
                || failure instanceof UncheckedIOException) {
            log.failure(failure);
        } else {
            log.failure(new IllegalStateException("internal error: " + failure
                    + (log.verbose() ? "" : " (--verbose shows details)"), failure));
        }
    }
}
