package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.host.IdmappedMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chroot as a job with a user namespace sees it: a read-only idmapped mount at the job's lower
 * dir, over which nspawn makes the overlay. It is needed only while nspawn sets the container up:
 * the overlay keeps its own reference to the layer, so prepare detaches it once the container has
 * booted (or failed), and no mount of the job's stays on the host. Cleanup detaches it too, in
 * case prepare died in between.
 */
final class IdmappedLower implements AutoCloseable {
    private final Path lowerDir;

    private IdmappedLower(Path lowerDir) {
        this.lowerDir = lowerDir;
    }

    /** One libc binding per JVM, made on first use: the executor service prepares many jobs. */
    static final class Mounts {
        static final IdmappedMount INSTANCE = IdmappedMount.load();
    }

    static IdmappedLower mount(Path chrootRoot, Path lowerDir, UidRange range) {
        try {
            Files.createDirectory(lowerDir);
            Mounts.INSTANCE.bindReadOnly(chrootRoot, lowerDir, range.shift(), UidRange.SIZE);
            return new IdmappedLower(lowerDir);
        } catch (IOException e) {
            throw ExecutorException.system("cannot mount chroot " + chrootRoot + " idmapped at " + lowerDir + ": "
                    + e.getMessage() + "; the chroots' filesystem must support idmapped mounts (ext4, xfs, btrfs;"
                    + " tmpfs from Linux 6.3), or set user_namespace = false", e);
        }
    }

    /** Detaches whatever is mounted at LOWER_DIR; nothing when nothing is. */
    static void detach(Path lowerDir) {
        try {
            if (Files.isDirectory(lowerDir) && FileTrees.isMountPoint(lowerDir)) {
                Mounts.INSTANCE.detach(lowerDir);
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot detach " + lowerDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        detach(lowerDir);
    }
}
