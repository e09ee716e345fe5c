package io.github.nspawnrunner.chroot;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run as a process of its own: prints whether it could take FILE's lock, shared or exclusive as asked. */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, "shared".equals(args[1]));
            System.out.println(lock == null ? "busy" : "locked");
        }
    }
}
