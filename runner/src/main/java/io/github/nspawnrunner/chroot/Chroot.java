package io.github.nspawnrunner.chroot;

import java.nio.file.Path;

/** A base root filesystem that jobs overlay; never written to by a job. */
public record Chroot(ChrootName name, Path directory) {
}
