package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The chroots directory's lock. Prepare holds it shared while it resolves a chroot and records
 * which version its job uses; switching versions and collecting old ones hold it exclusive. So
 * a version is never collected between a job choosing it and the job's record naming it.
 */
public final class ChrootLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ChrootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static ChrootLock shared(ChrootLayout layout) {
        return acquire(layout, true);
    }

    public static ChrootLock exclusive(ChrootLayout layout) {
        return acquire(layout, false);
    }

    private static ChrootLock acquire(ChrootLayout layout, boolean shared) {
        try {
            Files.createDirectories(layout.directory());
            FileChannel channel = FileChannel.open(layout.lockFile(),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                return new ChrootLock(channel, channel.lock(0, Long.MAX_VALUE, shared));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + layout.lockFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
