package io.github.nspawnrunner.config;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;

/**
 * The admin's configuration cannot be used: one line naming the file (or environment variable),
 * the key and what is allowed. A system failure for gitlab-runner's calls; exit 2 for the admin's
 * commands, like a wrong option.
 */
public final class ConfigException extends ExecutorException {
    public ConfigException(String message) {
        super(FailureKind.SYSTEM, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(FailureKind.SYSTEM, message, cause);
    }
}
