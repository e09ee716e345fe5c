package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A job's lock: prepare holds it from the moment the job's directory appears until it returns,
 * cleanup while it removes the job, and the orphan collector while it judges and removes one.
 * The collector only ever tries it, so it never touches a job whose prepare or cleanup is under
 * way, in this process or another (the executor service, a JVM of its own, `jobs gc`).
 *
 * <p>It is the kernel's lock on {@code <job dir>/}{@value #FILE_NAME} (a POSIX record lock, which
 * ends with the process that holds it, so a killed prepare leaves no stale lock), plus a lock
 * among this JVM's threads: POSIX locks belong to the whole process, and closing any channel to
 * the file would drop them. Only the thread that holds the thread lock ever opens the file, so
 * there is one channel to it per process at a time. The lock file goes last when a job is
 * removed, so whoever waited for it finds nothing left of the job.
 */
final class JobLock implements AutoCloseable {
    static final String FILE_NAME = "lock";

    /** Threads' locks by job directory; an entry lives while someone holds or awaits it. On purpose static: per JVM. */
    private static final Map<Path, Entry> THREADS = new HashMap<>();

    private final Path key;
    private final Entry entry;
    private FileChannel channel;

    private JobLock(Path key, Entry entry) {
        this.key = key;
        this.entry = entry;
    }

    /** Waits for JOBDIR's lock; holds only the threads' part when the job has no lock file (none yet, or gone). */
    static JobLock acquire(Path jobDir) {
        JobLock lock = threadLock(jobDir, true).orElseThrow();
        try {
            lock.channel = FileChannel.open(jobDir.resolve(FILE_NAME), StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock.channel.lock();
        } catch (NoSuchFileException e) {
            lock.closeChannel();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw ExecutorException.system("cannot lock " + jobDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        return lock;
    }

    /**
     * JOBDIR's lock if nobody holds it, with LOCKFILE as its file (the job's own, or the one in the
     * directory prepare is making for it); empty when it is held or LOCKFILE does not exist.
     */
    static Optional<JobLock> tryAcquire(Path jobDir, Path lockFile) {
        Optional<JobLock> held = threadLock(jobDir, false);
        if (held.isEmpty()) {
            return held;
        }
        JobLock lock = held.get();
        try {
            lock.channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock kernelLock = lock.channel.tryLock();
            if (kernelLock != null) {
                return held;
            }
        } catch (IOException e) {
            // no lock file: not a job this version prepared, or removed meanwhile
        }
        lock.close();
        return Optional.empty();
    }

    /** For prepare: JOBDIR's lock, through LOCKFILE, made new in the directory that becomes JOBDIR. */
    static JobLock create(Path jobDir, Path lockFile) {
        JobLock lock = threadLock(jobDir, true).orElseThrow();
        try {
            lock.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            lock.channel.lock();
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw ExecutorException.system("cannot create the lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static Optional<JobLock> threadLock(Path jobDir, boolean wait) {
        Path key = jobDir.toAbsolutePath().normalize();
        Entry entry;
        synchronized (THREADS) {
            entry = THREADS.computeIfAbsent(key, ignored -> new Entry());
            entry.users++;
        }
        if (entry.lock.isHeldByCurrentThread()) {
            release(key, entry);
            if (!wait) {
                return Optional.empty(); // held, by this very thread
            }
            // a second channel and its close would drop the kernel's lock this thread holds
            throw new IllegalStateException("this thread already holds the lock of " + key);
        }
        if (wait) {
            entry.lock.lock();
        } else if (!entry.lock.tryLock()) {
            release(key, entry);
            return Optional.empty();
        }
        return Optional.of(new JobLock(key, entry));
    }

    private static void release(Path key, Entry entry) {
        synchronized (THREADS) {
            if (--entry.users == 0) {
                THREADS.remove(key);
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close(); // releases the kernel's lock
            } catch (IOException e) {
                // the lock goes with the descriptor anyway
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
        entry.lock.unlock();
        release(key, entry);
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }
}
