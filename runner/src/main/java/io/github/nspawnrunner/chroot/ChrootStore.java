package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The chroots directory, as jobs see it: a chroot named N is {@code <dir>/N} holding a root filesystem. */
public final class ChrootStore {
    private final ChrootLayout layout;

    public ChrootStore(Path directory) {
        this.layout = ChrootLayout.canonical(directory);
    }

    /** The chroot's current directory, with any version link resolved. */
    public Chroot require(ChrootName name) {
        Path root = layout.link(name);
        if (!Files.isDirectory(root)) {
            throw ExecutorException.system("chroot '" + name + "' does not exist (no directory " + root
                    + "); build it with 'nspawn-runner chroot create " + name + "' or choose another");
        }
        if (!Files.exists(root.resolve("usr/bin/bash")) && !Files.exists(root.resolve("bin/bash"))) {
            throw ExecutorException.system("chroot '" + name + "' at " + root + " has no bash: not a usable root filesystem");
        }
        try {
            return new Chroot(name, root.toRealPath());
        } catch (IOException e) {
            throw ExecutorException.system("cannot resolve chroot '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Resolves the chroot for a job and records, in JOBDIR, which version it got, so that the
     * version outlives upgrades for as long as the job runs.
     */
    public Chroot acquire(ChrootName name, Path jobDir) {
        return acquire(name, jobDir, ChrootUsage.RECORD);
    }

    /** The same for an image job's helper container: the version is kept in the job's second record. */
    public Chroot acquireForHelper(ChrootName name, Path jobDir) {
        return acquire(name, jobDir, ChrootUsage.HELPER_RECORD);
    }

    private Chroot acquire(ChrootName name, Path jobDir, String record) {
        try (ChrootLock ignored = ChrootLock.shared(layout)) {
            Chroot chroot = require(name);
            Files.writeString(jobDir.resolve(record), chroot.directory() + "\n");
            return chroot;
        } catch (IOException | UncheckedIOException e) {
            throw ExecutorException.system("cannot record the chroot of " + jobDir + ": " + e.getMessage(), e);
        }
    }
}
