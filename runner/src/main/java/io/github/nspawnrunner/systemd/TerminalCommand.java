package io.github.nspawnrunner.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A command run with our own stdin, stdout and stderr (a shell for a person at a terminal). */
final class TerminalCommand {
    private TerminalCommand() {
    }

    /** Runs ARGV to its end and returns its exit status; PACKAGE is what to install when ARGV[0] is missing. */
    static int run(List<String> argv, String packageName) {
        try {
            return new ProcessBuilder(argv).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.get(0) + " (apt-get install " + packageName + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
