package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.ConfigException;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.HostCommandException;
import io.github.nspawnrunner.systemd.SystemdException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one place where a failure becomes a one-line message and an exit code: for gitlab-runner's
 * calls, its build or system failure code; for the admin's commands (picocli's exit-code mapper),
 * 2 for a config they cannot use (a usage error, as picocli's own) and 1 for anything else.
 */
final class Failures implements CommandLine.IExitCodeExceptionMapper {
    static final int ADMIN_FAILURE = 1;
    static final int ADMIN_CONFIG_FAILURE = 2;

    @Override
    public int getExitCode(Throwable failure) {
        return failure instanceof ConfigException ? ADMIN_CONFIG_FAILURE : ADMIN_FAILURE;
    }

    /** What gitlab-runner's call exits with after FAILURE, by the codes ENVIRONMENT names. */
    static int forGitlabRunner(RuntimeException failure, ExecutorEnvironment environment) {
        if (failure instanceof ExecutorException executor && !(failure instanceof ConfigException)) {
            return environment.exitCodeFor(executor.kind());
        }
        return environment.systemFailureExitCode();
    }

    /** One line on LOG; a failure we did not foresee says it is one (its stack trace with --verbose). */
    static void report(Log log, Throwable failure) {
        if (foreseen(failure)) {
            log.failure(failure);
        } else {
            log.failure(new IllegalStateException("internal error: " + failure
                    + (log.verbose() ? "" : " (--verbose shows details)"), failure));
        }
    }

    private static boolean foreseen(Throwable failure) {
        return failure instanceof ConfigException || failure instanceof ExecutorException || failure instanceof SystemdException
                || failure instanceof HostCommandException || failure instanceof UncheckedIOException;
    }
}
