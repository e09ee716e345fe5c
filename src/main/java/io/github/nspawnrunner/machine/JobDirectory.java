package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.ExecutorException;
import io.github.nspawnrunner.host.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates and removes a job's directory tree on the host. */
final class JobDirectory {
    private JobDirectory() {
    }

    /** Directories only root may enter: a job's upper dir holds its checkout and secrets. */
    static void createPrivate(Path... dirs) {
        for (Path dir : dirs) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw ExecutorException.system("cannot create " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates the overlay's upper dir with the mode of the chroot's root: the container's "/"
     * takes the upper dir's mode, and a private one would lock out every non-root service (dbus).
     * The job dir around it stays private.
     */
    static void createRoot(Path upperDir, Path chrootRoot) {
        try {
            Files.createDirectory(upperDir);
            Files.setPosixFilePermissions(upperDir, Files.getPosixFilePermissions(chrootRoot));
        } catch (IOException e) {
            throw ExecutorException.system("cannot create " + upperDir + ": " + e.getMessage(), e);
        }
    }

    /** Hands DIRS, made by root on the host, to the job's root: host uid K becomes RANGE's K. */
    static void shiftOwnership(UidRange range, Path... dirs) {
        for (Path dir : dirs) {
            try {
                FileTrees.shiftOwnership(dir, range.shift());
            } catch (IOException | RuntimeException e) {
                throw ExecutorException.system("cannot hand " + dir + " to uids " + range.nspawnValue() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes DIR and everything below it; see {@link FileTrees#remove}. */
    static void remove(Path dir) {
        try {
            FileTrees.remove(dir);
        } catch (IOException e) {
            throw ExecutorException.system("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
