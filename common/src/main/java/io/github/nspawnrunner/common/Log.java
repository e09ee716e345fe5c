package io.github.nspawnrunner.common;

import java.io.PrintStream;

/** Messages of the runner itself: to stderr, one line each, so stdout stays the job's own. */
public record Log(PrintStream stream, boolean verbose) {
    public void info(String message) {
        stream.println("nspawn-runner: " + message);
    }

    /** One line for the user; the stack trace only with --verbose. */
    public void failure(Throwable failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        stream.println("nspawn-runner: error: " + message.replace('\n', ' '));
        if (verbose) {
            failure.printStackTrace(stream);
        }
    }
}
