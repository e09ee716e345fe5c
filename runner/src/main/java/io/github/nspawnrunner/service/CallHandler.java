package io.github.nspawnrunner.service;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/** Does what the CLI would do for VERB with ENVIRONMENT, writing to OUT and ERR; returns the exit code. */
@FunctionalInterface
public interface CallHandler {
    int handle(String verb, Map<String, String> environment, PrintStream out, PrintStream err);

    /** The job a call with ENVIRONMENT is for, to name in the service's log; empty when that cannot be told. */
    default Optional<CallJob> job(Map<String, String> environment) {
        return Optional.empty();
    }
}
