package io.github.nspawnrunner.host;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;

/**
 * flock(2) locks. Unlike Java's FileChannel locks (POSIX record locks, which belong to the whole
 * process: a second thread's lock on the same file throws, and closing any descriptor drops them
 * all), a flock belongs to its open file description: two threads of the executor service
 * exclude each other exactly as two processes do, with no per-JVM bookkeeping. A lock ends with
 * its descriptor, so a killed process leaves none behind.
 */
public final class Flock {
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EWOULDBLOCK = 11;

    /** The libc functions used. */
    public interface LibC {
        int open(String path, int flags, int mode);

        int flock(int fd, int operation);

        int close(int fd);

        String strerror(int errno);
    }

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;

    private Flock(LibC libc) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    public static Flock load() {
        return new Flock(LibraryLoader.create(LibC.class).load("c"));
    }

    /** Waits for PATH's lock, shared or exclusive; the file is made (0600) if missing. */
    public Held lock(Path path, boolean shared) throws IOException {
        int fd = open(path);
        if (libc.flock(fd, shared ? LOCK_SH : LOCK_EX) != 0) {
            String error = libc.strerror(runtime.getLastError());
            libc.close(fd);
            throw new IOException("cannot lock " + path + ": " + error);
        }
        return new Held(fd);
    }

    /** PATH's exclusive lock if nobody holds it, else null. */
    public Held tryExclusive(Path path) throws IOException {
        int fd = open(path);
        if (libc.flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int errno = runtime.getLastError();
            libc.close(fd);
            if (errno == EWOULDBLOCK) {
                return null;
            }
            throw new IOException("cannot lock " + path + ": " + libc.strerror(errno));
        }
        return new Held(fd);
    }

    private int open(Path path) throws IOException {
        int fd = libc.open(path.toString(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            throw new IOException("cannot open " + path + ": " + libc.strerror(runtime.getLastError()));
        }
        return fd;
    }

    /** A held lock; closing it releases it. */
    public final class Held implements AutoCloseable {
        private int fd;

        private Held(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            if (fd >= 0) {
                libc.close(fd);
                fd = -1;
            }
        }
    }
}
