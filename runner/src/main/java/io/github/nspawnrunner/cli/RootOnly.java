package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** For the commands that look into or act on jobs: their state is root's (0700), like the service that keeps it. */
final class RootOnly {
    private RootOnly() {
    }

    /** Fails with one line naming COMMAND and WHY when this process is not root's. */
    static void require(String command, String why) {
        try {
            if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
                throw ExecutorException.system(command + " must run as root: " + why);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw ExecutorException.system("cannot tell whether this runs as root: " + e.getMessage(), e);
        }
    }
}
