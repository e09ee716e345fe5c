package io.github.nspawnrunner.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Read-only idmapped bind mounts (Linux 5.12+): the tree shows a file that is owned by uid K on
 * disk as owned by SHIFT + K, and changes nothing on disk. systemd-nspawn 252 cannot idmap a tree
 * under a custom root overlay, so the runner makes one for the overlay's lower layer itself. Neither
 * the JDK nor Debian 12's util-linux (2.38, no X-mount.idmap) offer the mount API, hence libc.
 */
public final class IdmappedMount {
    // the mount API's syscalls have the same numbers on every architecture (asm-generic, 5.2+)
    private static final long SYS_OPEN_TREE = 428;
    private static final long SYS_MOVE_MOUNT = 429;
    private static final long SYS_MOUNT_SETATTR = 442;
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int OPEN_TREE_CLONE = 1;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private static final long MOUNT_ATTR_RDONLY = 0x1;
    private static final long MOUNT_ATTR_IDMAP = 0x100000;
    private static final int MNT_DETACH = 2;
    private static final long MS_BIND = 4096;
    private static final long MS_PRIVATE = 1 << 18;
    private static final Duration USERNS_TIMEOUT = Duration.ofSeconds(5);

    /** The libc functions used; syscall() is declared once per argument list. */
    public interface LibC {
        long syscall(long number, int dirfd, String path, int flags);

        long syscall(long number, int dirfd, String path, int flags, Pointer attr, long size);

        long syscall(long number, int fromDirfd, String fromPath, int toDirfd, String toPath, int flags);

        int open(String path, int flags);

        int close(int fd);

        int umount2(String target, int flags);

        int mount(String source, String target, String type, long flags, String data);

        String strerror(int errno);
    }

    private final LibC libc;
    private final Runtime runtime;

    private IdmappedMount(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    public static IdmappedMount load() {
        return new IdmappedMount(LibraryLoader.create(LibC.class).load("c"));
    }

    /**
     * Mounts SOURCE at TARGET (an empty directory), read-only, with uids and gids shifted by SHIFT.
     * Its setuid programs stay setuid: inside the container they are the container's root's.
     */
    public void bindReadOnly(Path source, Path target, long shift, long size) throws IOException {
        int userns = userNamespace(shift, size);
        int tree = -1;
        try {
            tree = check((int) libc.syscall(SYS_OPEN_TREE, AT_FDCWD, source.toString(), OPEN_TREE_CLONE | O_CLOEXEC),
                    "open_tree " + source);
            Pointer attr = Memory.allocateDirect(runtime, 32);
            attr.putLong(0, MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY);
            attr.putLong(8, 0);
            attr.putLong(16, 0);
            attr.putLong(24, userns);
            check((int) libc.syscall(SYS_MOUNT_SETATTR, tree, "", AT_EMPTY_PATH, attr, 32),
                    "idmapping a mount of " + source + " (does its filesystem support idmapped mounts?)");
            check((int) libc.syscall(SYS_MOVE_MOUNT, tree, "", AT_FDCWD, target.toString(), MOVE_MOUNT_F_EMPTY_PATH),
                    "move_mount to " + target);
        } finally {
            if (tree >= 0) {
                libc.close(tree);
            }
            libc.close(userns);
        }
    }

    /**
     * Binds SOURCE (e.g. a namespace file under /proc/PID/ns) at TARGET, an existing file: as
     * `ip netns` does, it keeps that namespace alive and reachable by path, whoever gets PID next.
     */
    public void bind(Path source, Path target) throws IOException {
        check(libc.mount(source.toString(), target.toString(), null, MS_BIND, null), "bind " + source + " at " + target);
    }

    /**
     * Makes DIR a mount point of its own with private propagation: a mount namespace file can be
     * bound only on such a mount (the kernel refuses it where it could propagate: EINVAL).
     */
    public void bindPrivate(Path dir) throws IOException {
        check(libc.mount(dir.toString(), dir.toString(), null, MS_BIND, null), "bind " + dir + " on itself");
        check(libc.mount(null, dir.toString(), null, MS_PRIVATE, null), "make " + dir + " private");
    }

    /** Detaches what is mounted at TARGET (lazily: the containers that use it keep their own copy). */
    public void detach(Path target) throws IOException {
        check(libc.umount2(target.toString(), MNT_DETACH), "umount " + target);
    }

    /**
     * A user namespace mapping 0..SIZE-1 to SHIFT..SHIFT+SIZE-1, as an open file descriptor. A JVM
     * cannot unshare one itself (it has threads): a child does, root writes its maps from here.
     */
    private int userNamespace(long shift, long size) throws IOException {
        Process child = new ProcessBuilder("unshare", "--user", "cat").redirectErrorStream(true).start();
        try {
            Path proc = Path.of("/proc", Long.toString(child.pid()));
            Path ownNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/user"));
            long deadline = System.nanoTime() + USERNS_TIMEOUT.toNanos();
            while (Files.readSymbolicLink(proc.resolve("ns/user")).equals(ownNamespace)) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("'unshare --user' did not create a user namespace: "
                            + new String(child.getInputStream().readNBytes(500), StandardCharsets.UTF_8).strip());
                }
                Thread.onSpinWait();
            }
            String map = "0 " + shift + " " + size + "\n";
            Files.writeString(proc.resolve("uid_map"), map);
            Files.writeString(proc.resolve("gid_map"), map);
            return check(libc.open(proc.resolve("ns/user").toString(), O_CLOEXEC), "open user namespace");
        } finally {
            child.destroyForcibly();
        }
    }

    private int check(int result, String what) throws IOException {
        if (result < 0) {
            int errno = runtime.getLastError();
            throw new IOException(what + ": " + libc.strerror(errno));
        }
        return result;
    }
}
