package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates and removes a job's directory tree on the host. */
final class JobDirectory {
    private JobDirectory() {
    }

    /** Directories only root may enter: a job's upper dir holds its checkout and secrets. */
    /** DIR with mode 0755 (made by root on the host, shifted with the job's upper dir). */
    static void createPublic(Path dir) {
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw ExecutorException.system("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

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
     * Creates JOBDIR, private, holding ORIGIN and the job's lock, and returns the lock held: the
     * directory is made under a hidden name and renamed into place, so a job directory never
     * exists without its record or, while prepare runs, without its lock held.
     */
    static JobLock createLocked(Path jobDir, JobOrigin origin) {
        // a name of its own each time: nobody else ever removes or reuses this path while prepare makes it
        Path staging = jobDir.resolveSibling("." + jobDir.getFileName() + "." + origin.bootId() + "."
                + ProcessHandle.current().pid() + "-" + System.nanoTime() + STAGING_SUFFIX);
        JobLock lock = null;
        try {
            createPrivate(staging);
            lock = JobLock.create(jobDir, staging.resolve(JobLock.FILE_NAME));
            origin.write(staging);
            Files.move(staging, jobDir, StandardCopyOption.ATOMIC_MOVE);
            return lock;
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            try {
                FileTrees.remove(staging);
            } catch (IOException | RuntimeException removal) {
                e.addSuppressed(removal);
            }
            throw e instanceof ExecutorException executor ? executor
                    : ExecutorException.system("cannot create " + jobDir + ": " + e.getMessage(), e);
        }
    }

    /** How the directories end that prepare makes before it renames them into place (".nsr-N.BOOT.UNIQUE.new"). */
    static final String STAGING_SUFFIX = ".new";

    /**
     * Removes everything in JOBDIR but its lock file, which {@link #remove} takes last: whoever
     * waits for the job's lock then finds nothing of the job left (its uid range released too).
     */
    static void removeAllButLock(Path jobDir) {
        try (java.util.stream.Stream<Path> entries = Files.list(jobDir)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals(JobLock.FILE_NAME)) {
                    remove(entry);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing there
        } catch (IOException e) {
            throw ExecutorException.system("cannot list " + jobDir + ": " + e.getMessage(), e);
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
