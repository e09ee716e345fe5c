package io.github.nspawnrunner.image;

import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.host.ProcessGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Stops a pull that writes more than it may: the tree under DIR (the download, or the unpacked
 * root filesystem) beyond MAXBYTES, or the filesystem below FLOOR free. A job chooses its image,
 * so a huge image or a decompression bomb from an allowed registry would otherwise fill the
 * runner's disk. Asked a few times a second: it reads the filesystem's free space (one statvfs)
 * and walks the tree only when the filesystem as a whole has lost more than the tree may still
 * take since the last walk, so a pull well within its budget costs no walk at all.
 */
final class PullBudget implements ProcessGuard {
    /** At least this much of the filesystem stays free, or a twentieth of it when that is less. */
    static final long FLOOR_MAX = 1L << 30;

    private final Path dir;
    private final long maxBytes;
    private final LongSupplier usableSpace;
    private final long floor;
    private volatile boolean diskLow;
    /** Free space at the last walk, and what the tree took then. */
    private long usableAtWalk;
    private long usedAtWalk;

    PullBudget(Path dir, long maxBytes, LongSupplier usableSpace, long floor) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.usableSpace = usableSpace;
        this.floor = floor;
        this.usableAtWalk = usableSpace.getAsLong();
    }

    /** The budget for what is written under DIR, which must exist or have an existing parent, on its own filesystem. */
    static PullBudget of(Path dir, long maxBytes) throws IOException {
        Path existing = Files.exists(dir) ? dir : dir.getParent();
        FileStore store = Files.getFileStore(existing);
        return new PullBudget(dir, maxBytes, () -> usable(store), Math.min(FLOOR_MAX, store.getTotalSpace() / 20));
    }

    private static long usable(FileStore store) {
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: the tree's own budget still holds
        }
    }

    /** Whether it stopped the pull for the disk's sake (the host's trouble) rather than the image's size (the job's). */
    boolean stoppedForTheDisk() {
        return diskLow;
    }

    @Override
    public Optional<String> breach() {
        long usable = usableSpace.getAsLong();
        if (usable < floor) {
            diskLow = true;
            return Optional.of("the filesystem of " + dir + " is down to " + (usable >> 20) + " MB free (it keeps at least "
                    + (floor >> 20) + " MB)");
        }
        if (usableAtWalk - usable <= maxBytes - usedAtWalk) {
            return Optional.empty();
        }
        long used;
        try {
            used = FileTrees.diskUsage(dir);
        } catch (UncheckedIOException e) {
            return Optional.empty(); // the tool is moving files: the next look counts them
        }
        if (used > maxBytes) {
            return Optional.of("it takes more than " + (maxBytes >> 20) + " MB, this runner's image_max_size");
        }
        usableAtWalk = usable;
        usedAtWalk = used;
        return Optional.empty();
    }
}
