package io.github.nspawnrunner.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * A directory only its owner (root) can enter, mode 0700, for files that hold secrets while a
 * tool reads them: skopeo's auth file. It is removed when closed; one a killed process left is
 * removed by the next {@link #create} in the same base (its name carries the dead owner's pid).
 * Under /run it would not survive a reboot either.
 */
public final class PrivateDir implements AutoCloseable {
    private static final String PREFIX = "private-";

    private final Path path;

    private PrivateDir(Path path) {
        this.path = path;
    }

    public static PrivateDir create(Path base) throws IOException {
        Files.createDirectories(base);
        sweep(base);
        Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new PrivateDir(dir);
    }

    public Path path() {
        return path;
    }

    /** Writes NAME (mode 0600, created so: never readable by others, not even for a moment) and returns its path. */
    public Path write(String name, byte[] content) throws IOException {
        Path file = path.resolve(name);
        Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))).close();
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    @Override
    public void close() {
        try {
            FileTrees.remove(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + path + ": " + e.getMessage(), e);
        }
    }

    /** Removes what dead processes left in BASE. */
    private static void sweep(Path base) throws IOException {
        for (Path entry : FileTrees.entries(base)) {
            String name = entry.getFileName().toString();
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-", 2);
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
            } catch (NumberFormatException e) {
                // not ours: remove anyway, nothing else writes there
            }
            FileTrees.remove(entry);
        }
    }
}
