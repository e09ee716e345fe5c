package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.executor.ExecutorException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The chroots directory: a chroot named N is the directory {@code <dir>/N} holding a root filesystem. */
public final class ChrootStore {
    private final Path directory;

    public ChrootStore(Path directory) {
        this.directory = directory;
    }

    public Chroot require(ChrootName name) {
        Path root = directory.resolve(name.value());
        if (!Files.isDirectory(root)) {
            throw ExecutorException.system("chroot '" + name + "' does not exist (no directory " + root
                    + "); build it with 'nspawn-runner chroot create " + name + "' or choose another");
        }
        if (!Files.exists(root.resolve("usr/bin/bash")) && !Files.exists(root.resolve("bin/bash"))) {
            throw ExecutorException.system("chroot '" + name + "' at " + root + " has no bash: not a usable root filesystem");
        }
        return new Chroot(name, root);
    }
}
