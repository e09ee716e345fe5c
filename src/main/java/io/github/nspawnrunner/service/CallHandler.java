package io.github.nspawnrunner.service;

import java.io.PrintStream;
import java.util.Map;

/** Does what the CLI would do for VERB with ENVIRONMENT, writing to OUT and ERR; returns the exit code. */
@FunctionalInterface
public interface CallHandler {
    int handle(String verb, Map<String, String> environment, PrintStream out, PrintStream err);
}
