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
 * takes inodes and blocks that their sizes do not show. A walk that could not see the whole tree,
 * or free space that could not be read, makes the next look walk again; and the tool may end
 * between two looks, so {@link #breachNow()} walks once more after it.
 */
final class PullBudget implements ProcessGuard {
    /** At least this much of the filesystem stays free, or a twentieth of it when that is less. */
    static final long FLOOR_MAX = 1L << 30;
    /** What an entry takes at the least, whatever its size. */
    static final long BLOCK = 4096;
    /** The longest the tree goes unwalked, unless a walk takes more than a tenth of the time. */
    static final long WALK_EVERY_NANOS = 2_000_000_000L;
    /** A long walk reads the free space again after this many entries: the floor holds during it too. */
    static final int FLOOR_EVERY_ENTRIES = 4096;

    private final Path dir;
    private final long maxBytes;
    /** The filesystem's free bytes; negative when they cannot be read (then every look walks). */
    private final LongSupplier usableSpace;
    private final long floor;
    private final LongSupplier nanoTime;
    private volatile boolean diskLow;
    /** Free space at the last whole walk (negative: walk at the next look), what the tree took then, when it ended, how long it took. */
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
        return look(false);
    }

    /** The same as {@link #breach()} with a walk whatever the free space says: for the tree a tool left when it ended. */
    Optional<String> breachNow() {
        return look(true);
    }

    private Optional<String> look(boolean walkAnyway) {
        long usable = usableSpace.getAsLong();
        if (usable >= 0 && usable < floor) {
            return diskLow(usable);
        }
        if (maxBytes == Long.MAX_VALUE) {
            return Optional.empty(); // no budget: the floor alone
        }
        long now = nanoTime.getAsLong();
        boolean due = walkAnyway || usable < 0 || usableAtWalk < 0 || usableAtWalk - usable > maxBytes - usedAtWalk
                || now - walkedAt >= Math.max(WALK_EVERY_NANOS, 10 * walkNanos);
        return due ? walk(usable, now) : Optional.empty();
    }

    private Optional<String> walk(long usable, long start) {
        Charge charge = count(dir, maxBytes, usableSpace, floor);
        walkedAt = nanoTime.getAsLong();
        walkNanos = walkedAt - start;
        if (charge.lowUsable >= 0) {
            return diskLow(charge.lowUsable);
        }
        if (charge.used > maxBytes) {
            return Optional.of("it takes more than " + (maxBytes >> 20) + " MB, this runner's image_max_size");
        }
        usableAtWalk = charge.complete ? usable : -1;
        usedAtWalk = charge.used;
        return Optional.empty();
    }

    private Optional<String> diskLow(long usable) {
        diskLow = true;
        return Optional.of("the filesystem of " + dir + " is down to " + (usable >> 20) + " MB free (it keeps at least "
                + (floor >> 20) + " MB)");
    }

    /** What the tree under DIR takes ({@link #charged} each entry), counted up to just past LIMIT. */
    static long charge(Path dir, long limit) {
        return count(dir, limit, () -> Long.MAX_VALUE, 0).used;
    }

    /** DIR's tree counted up to just past LIMIT, or until the filesystem's USABLESPACE is below FLOOR. */
    private static Charge count(Path dir, long limit, LongSupplier usableSpace, long floor) {
        Charge charge = new Charge(limit, usableSpace, floor);
        try {
            Files.walkFileTree(dir, charge);
        } catch (IOException e) {
            charge.complete = false; // what was counted stands; the next look walks again
        }
        return charge;
    }

    /** What an entry of SIZE bytes takes: whole blocks, one at least; never past Long.MAX_VALUE. */
    static long charged(long size) {
        if (size > Long.MAX_VALUE - BLOCK) {
            return Long.MAX_VALUE;
        }
        return Math.max(BLOCK, (size + BLOCK - 1) / BLOCK * BLOCK);
    }

    private static final class Charge extends SimpleFileVisitor<Path> {
        private final long limit;
        private final LongSupplier usableSpace;
        private final long floor;
        private long used;
        private long entries;
        private boolean complete = true;
        /** The free space that ended the walk below the floor; negative while it did not. */
        private long lowUsable = -1;

        Charge(long limit, LongSupplier usableSpace, long floor) {
            this.limit = limit;
            this.usableSpace = usableSpace;
            this.floor = floor;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path entry, BasicFileAttributes attributes) {
            return add(BLOCK);
        }

        @Override
        public FileVisitResult visitFile(Path entry, BasicFileAttributes attributes) {
            return add(charged(attributes.size()));
        }

        @Override
        public FileVisitResult visitFileFailed(Path entry, IOException e) {
            complete = false; // the tool moved it meanwhile: the next look walks again
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path entry, IOException e) {
            if (e != null) {
                complete = false; // a directory that went away as it was listed: the rest of the tree still counts
            }
            return FileVisitResult.CONTINUE;
        }

        private FileVisitResult add(long bytes) {
            used = bytes > Long.MAX_VALUE - used ? Long.MAX_VALUE : used + bytes;
            if (++entries % FLOOR_EVERY_ENTRIES == 0) {
                long usable = usableSpace.getAsLong();
                if (usable >= 0 && usable < floor) {
                    lowUsable = usable;
                    return FileVisitResult.TERMINATE;
                }
            }
            return used > limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }
    }
}
