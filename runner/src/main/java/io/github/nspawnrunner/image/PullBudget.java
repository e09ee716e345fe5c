package io.github.nspawnrunner.image;

import io.github.nspawnrunner.host.ProcessGuard;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Stops a pull that writes more than it may: the tree under DIR (the download, or the unpacked
 * root filesystem) beyond MAXBYTES, or the filesystem below FLOOR free. A job chooses its image,
 * so a huge image or a decompression bomb from an allowed registry would otherwise fill the
 * runner's disk. Asked a few times a second ({@link ProcessGuard}), it reads the filesystem's
 * free space (one statvfs) and walks the tree when the filesystem lost more than the tree may
 * still take since the last walk, and at least every {@link #WALK_EVERY_NANOS} (space freed
 * elsewhere, by an eviction or a job's cleanup, would hide the tree's growth from the free space
 * alone). Every entry counts at least a block: a layer of millions of empty files or directories
 * takes inodes and blocks that their sizes do not show.
 */
final class PullBudget implements ProcessGuard {
    /** At least this much of the filesystem stays free, or a twentieth of it when that is less. */
    static final long FLOOR_MAX = 1L << 30;
    /** What an entry takes at the least, whatever its size. */
    static final long BLOCK = 4096;
    /** The longest the tree goes unwalked, unless a walk takes more than a tenth of the time. */
    static final long WALK_EVERY_NANOS = 2_000_000_000L;

    private final Path dir;
    private final long maxBytes;
    /** The filesystem's free bytes; negative when they cannot be read (then every look walks). */
    private final LongSupplier usableSpace;
    private final long floor;
    private final LongSupplier nanoTime;
    private volatile boolean diskLow;
    /** Free space at the last walk, what the tree took then, when it ended and how long it took. */
    private long usableAtWalk;
    private long usedAtWalk;
    private long walkedAt;
    private long walkNanos;

    PullBudget(Path dir, long maxBytes, LongSupplier usableSpace, long floor, LongSupplier nanoTime) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.usableSpace = usableSpace;
        this.floor = floor;
        this.nanoTime = nanoTime;
        this.usableAtWalk = usableSpace.getAsLong();
        this.walkedAt = nanoTime.getAsLong();
    }

    /** The budget for what is written under DIR, which must exist or have an existing parent, on its own filesystem. */
    static PullBudget of(Path dir, long maxBytes) throws IOException {
        Path existing = Files.exists(dir) ? dir : dir.getParent();
        FileStore store = Files.getFileStore(existing);
        return new PullBudget(dir, maxBytes, () -> usable(store), Math.min(FLOOR_MAX, store.getTotalSpace() / 20), System::nanoTime);
    }

    private static long usable(FileStore store) {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether it stopped the pull for the disk's sake (the host's trouble) rather than the image's size (the job's). */
    boolean stoppedForTheDisk() {
        return diskLow;
    }

    @Override
    public Optional<String> breach() {
        long usable = usableSpace.getAsLong();
        if (usable >= 0 && usable < floor) {
            diskLow = true;
            return Optional.of("the filesystem of " + dir + " is down to " + (usable >> 20) + " MB free (it keeps at least "
                    + (floor >> 20) + " MB)");
        }
        if (maxBytes == Long.MAX_VALUE) {
            return Optional.empty(); // no budget: the floor alone
        }
        long now = nanoTime.getAsLong();
        boolean due = usable < 0 || usableAtWalk - usable > maxBytes - usedAtWalk
                || now - walkedAt >= Math.max(WALK_EVERY_NANOS, 10 * walkNanos);
        if (!due) {
            return Optional.empty();
        }
        long used = charge(dir, maxBytes);
        walkedAt = nanoTime.getAsLong();
        walkNanos = walkedAt - now;
        if (used > maxBytes) {
            return Optional.of("it takes more than " + (maxBytes >> 20) + " MB, this runner's image_max_size");
        }
        usableAtWalk = usable;
        usedAtWalk = used;
        return Optional.empty();
    }

    /**
     * What the tree under DIR takes: every entry at least a block, a file its size rounded up to
     * blocks. Stops counting past LIMIT (a tree of millions of entries is not walked to its end).
     */
    static long charge(Path dir, long limit) {
        Charge charge = new Charge(limit);
        try {
            Files.walkFileTree(dir, charge);
        } catch (IOException e) {
            // a directory that went away as it was listed: what was counted stands, the next walk counts the rest
        }
        return charge.used;
    }

    private static final class Charge extends SimpleFileVisitor<Path> {
        private final long limit;
        private long used;

        Charge(long limit) {
            this.limit = limit;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path entry, BasicFileAttributes attributes) {
            return add(BLOCK);
        }

        @Override
        public FileVisitResult visitFile(Path entry, BasicFileAttributes attributes) {
            return add(Math.max(BLOCK, (attributes.size() + BLOCK - 1) / BLOCK * BLOCK));
        }

        @Override
        public FileVisitResult visitFileFailed(Path entry, IOException e) {
            return FileVisitResult.CONTINUE; // the tool moved it meanwhile: the next walk counts it
        }

        private FileVisitResult add(long bytes) {
            used += bytes;
            return used > limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }
    }
}
