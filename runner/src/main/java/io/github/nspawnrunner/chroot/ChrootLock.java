package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The chroots directory's lock. Prepare holds it shared while it resolves a chroot and records
 * which version its job uses; switching versions and collecting old ones hold it exclusive. So
 * a version is never collected between a job choosing it and the job's record naming it.
 */
public final class ChrootLock implements AutoCloseable {
    /**
     * File locks belong to the whole JVM, and closing any channel to a file drops every lock the
     * process holds on it (POSIX record locks). The executor service runs many jobs' prepare and
     * cleanup in one JVM, so each lock file gets one channel for the JVM's lifetime, and threads
     * take turns on it through a read-write lock. This is the one static mutable state on purpose.
     */
    private static final Map<Path, LockFile> LOCK_FILES = new ConcurrentHashMap<>();

    private final LockFile file;
    private final boolean shared;

    private ChrootLock(LockFile file, boolean shared) {
        this.file = file;
        this.shared = shared;
    }

    public static ChrootLock shared(ChrootLayout layout) {
        return acquire(layout, true);
    }

    public static ChrootLock exclusive(ChrootLayout layout) {
        return acquire(layout, false);
    }

    /** The exclusive lock if nobody, in this process or another, holds the lock now; never waits. */
    public static Optional<ChrootLock> tryExclusive(ChrootLayout layout) {
        try {
            LockFile file = lockFile(layout);
            return file.tryAcquireExclusive() ? Optional.of(new ChrootLock(file, false)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + layout.lockFile() + ": " + e.getMessage(), e);
        }
    }

    private static ChrootLock acquire(ChrootLayout layout, boolean shared) {
        try {
            LockFile file = lockFile(layout);
            file.acquire(shared);
            return new ChrootLock(file, shared);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + layout.lockFile() + ": " + e.getMessage(), e);
        }
    }

    /** This JVM's one LockFile for LAYOUT's lock, its directory made if need be. */
    private static LockFile lockFile(ChrootLayout layout) throws IOException {
        Files.createDirectories(layout.directory());
        return LOCK_FILES.computeIfAbsent(layout.lockFile().toAbsolutePath().normalize(), LockFile::new);
    }

    @Override
    public void close() {
        file.release(shared);
    }

    /**
     * One lock file: the kernel's lock, held shared for as long as any thread holds it shared.
     * The channel is reopened when it was closed (an interrupted lock() closes it) or the file was
     * replaced (the chroots directory made anew), so that the lock keeps excluding other processes.
     */
    private static final class LockFile {
        private final Path path;
        private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
        private FileChannel channel;
        private Object fileKey;
        private int sharedHolders;
        private FileLock kernelLock;

        private LockFile(Path path) {
            this.path = path;
        }

        void acquire(boolean shared) throws IOException {
            Lock threadLock = shared ? threads.readLock() : threads.writeLock();
            threadLock.lock();
            try {
                synchronized (this) {
                    if (!shared || sharedHolders == 0) {
                        kernelLock = openChannel().lock(0, Long.MAX_VALUE, shared);
                    }
                    if (shared) {
                        sharedHolders++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                threadLock.unlock();
                throw e;
            }
        }

        boolean tryAcquireExclusive() throws IOException {
            Lock threadLock = threads.writeLock();
            if (!threadLock.tryLock()) {
                return false;
            }
            try {
                synchronized (this) {
                    kernelLock = openChannel().tryLock(0, Long.MAX_VALUE, false);
                    if (kernelLock != null) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                threadLock.unlock();
                throw e;
            }
            threadLock.unlock();
            return false;
        }

        /** The channel to lock through; called only while no kernel lock is held. */
        private FileChannel openChannel() throws IOException {
            if (channel != null && channel.isOpen() && currentFileKey().equals(fileKey)) {
                return channel;
            }
            if (channel != null) {
                channel.close();
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fileKey = currentFileKey();
            return channel;
        }

        private Object currentFileKey() throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return "";
            }
        }

        void release(boolean shared) {
            try {
                synchronized (this) {
                    if ((!shared || --sharedHolders == 0) && kernelLock != null) {
                        if (kernelLock.isValid()) {
                            kernelLock.release();
                        }
                        kernelLock = null;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unlock " + path + ": " + e.getMessage(), e);
            } finally {
                (shared ? threads.readLock() : threads.writeLock()).unlock();
            }
        }
    }
}
