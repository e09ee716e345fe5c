package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.host.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes chroot versions that nothing needs any more: not the current version of their chroot,
 * and not recorded by any job. Runs after every upgrade and every job's cleanup, so an old
 * version goes when its last job ends.
 */
public final class ChrootCollector {
    private final ChrootLayout layout;
    private final ChrootUsage usage;

    public ChrootCollector(ChrootLayout layout, ChrootUsage usage) {
        this.layout = layout;
        this.usage = usage;
    }

    /** Returns the versions removed. */
    public List<Path> collect() {
        if (!Files.isDirectory(layout.versionsRoot())) {
            return List.of();
        }
        List<Path> removed;
        try (ChrootLock ignored = ChrootLock.exclusive(layout)) {
            removed = trashUnused();
        }
        emptyTrash();
        return removed;
    }

    /**
     * The same for a job's cleanup, unless someone holds the chroots' lock: a cleanup never waits
     * behind another process (a prepare stuck while it records its version would hold it up for
     * good), and the next cleanup collects what this one left.
     */
    public List<Path> collectUnlessBusy() {
        if (!Files.isDirectory(layout.versionsRoot())) {
            return List.of();
        }
        Optional<ChrootLock> lock = ChrootLock.tryExclusive(layout);
        if (lock.isEmpty()) {
            return List.of();
        }
        List<Path> removed;
        try (ChrootLock ignored = lock.get()) {
            removed = trashUnused();
        }
        emptyTrash();
        return removed;
    }

    /** Under the exclusive lock: moves each version no job uses, and not current, to the trash. */
    private List<Path> trashUnused() {
        List<Path> removed = new ArrayList<>();
        Map<Path, Integer> inUse = usage.jobsPerDirectory();
        for (Path chrootDir : FileTrees.entries(layout.versionsRoot())) {
            ChrootName name = new ChrootName(chrootDir.getFileName().toString());
            Optional<Path> current = currentVersion(name);
            for (Path version : FileTrees.entries(chrootDir)) {
                if (ChrootLayout.isVersion(version) && Files.isDirectory(version, LinkOption.NOFOLLOW_LINKS)
                        && !version.equals(current.orElse(null)) && !inUse.containsKey(version)) {
                    moveToTrash(version);
                    removed.add(version);
                }
            }
            if (current.isEmpty() && FileTrees.entries(chrootDir).stream().noneMatch(ChrootLayout::isVersion)) {
                moveToTrash(chrootDir);
            }
        }
        return removed;
    }

    /** The version the chroot's link points at, if it is a managed chroot that still exists. */
    public Optional<Path> currentVersion(ChrootName name) {
        Path link = layout.link(name);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(link.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void moveToTrash(Path dir) {
        try {
            Files.createDirectories(layout.trash());
            Files.move(dir, layout.trash().resolve(dir.getParent().getFileName() + "-" + dir.getFileName()
                    + "-" + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot retire " + dir + ": " + e.getMessage(), e);
        }
    }

    private void emptyTrash() {
        for (Path retired : FileTrees.entries(layout.trash())) {
            try {
                FileTrees.remove(retired);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + retired + ": " + e.getMessage(), e);
            }
        }
    }

}
