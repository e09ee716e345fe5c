package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.ExecutorException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Creates and removes a job's directory tree on the host. */
final class JobDirectory {
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");

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

    /**
     * Removes DIR and everything below it, never following a symbolic link, and refuses when
     * anything is mounted below it (deleting through a mount would destroy what it shows).
     */
    static void remove(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> mounts = mountPointsBelow(dir);
        if (!mounts.isEmpty()) {
            throw ExecutorException.system("not removing " + dir + ": still mounted at " + mounts.get(0));
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw ExecutorException.system("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> mountPointsBelow(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        try (var lines = Files.lines(MOUNT_INFO)) {
            return lines.map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> fields[4].replace("\\040", " "))
                    .filter(mountPoint -> (mountPoint + "/").startsWith(prefix))
                    .toList();
        } catch (IOException e) {
            throw ExecutorException.system("cannot read " + MOUNT_INFO + ": " + e.getMessage(), e);
        }
    }
}
