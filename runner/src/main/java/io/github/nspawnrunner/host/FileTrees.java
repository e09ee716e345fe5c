package io.github.nspawnrunner.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Removing and measuring directory trees on the host without ever following a symbolic link. */
public final class FileTrees {
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");

    private FileTrees() {
    }

    /** DIR's entries, sorted by name; none when DIR does not exist. */
    public static List<Path> entries(Path dir) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes DIR and everything below it, and refuses when anything is mounted below it:
     * deleting through a mount would destroy what it shows.
     */
    public static void remove(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> mounts = mountPointsBelow(dir);
        if (!mounts.isEmpty()) {
            throw new IOException("not removing " + dir + ": something is mounted at " + mounts.get(0));
        }
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
    }

    /** The apparent size of all files below DIR (like du --apparent-size). */
    public static long diskUsage(Path dir) {
        AtomicLong bytes = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    bytes.addAndGet(attrs.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.get();
    }

    /** Whether something is mounted at DIR itself. */
    public static boolean isMountPoint(Path dir) throws IOException {
        String path = dir.toAbsolutePath().normalize().toString();
        return mountPointsBelow(dir).stream().anyMatch(path::equals);
    }

    /**
     * Gives every file below DIR, and DIR, the owner SHIFT + its uid and the group SHIFT + its gid,
     * never following a symbolic link (a link itself is changed): for trees that root made on the
     * host for a container whose uids are shifted by SHIFT.
     */
    public static void shiftOwnership(Path dir, long shift) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) throws IOException {
                shift(directory);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                shift(file);
                return FileVisitResult.CONTINUE;
            }

            private void shift(Path file) throws IOException {
                int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                // unix:uid takes an int: uids above 2^31 do not fit, and job ranges stay below it
                Files.setAttribute(file, "unix:uid", Math.toIntExact(shift + uid), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(file, "unix:gid", Math.toIntExact(shift + gid), LinkOption.NOFOLLOW_LINKS);
            }
        });
    }

    /** Mount points at DIR or below it, from this process's mountinfo. */
    public static List<String> mountPointsBelow(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        try (var lines = Files.lines(MOUNT_INFO)) {
            return lines.map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> fields[4].replace("\\040", " "))
                    .filter(mountPoint -> (mountPoint + "/").startsWith(prefix))
                    .toList();
        }
    }
}
