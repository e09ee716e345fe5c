package io.github.nspawnrunner.image;

import java.nio.file.Path;

/**
 * An unpacked image in the store, ready to be a job's root: ROOTFS is used exactly as a chroot
 * version directory (the read-only lower dir of the job's overlay), and is never written.
 *
 * @param reference what the job asked for, pinned to DIGEST
 * @param digest    the registry's manifest digest (of the manifest list, for a multi-platform image)
 */
public record Image(ImageReference reference, String digest, Path rootfs, ImageConfig config) {
}
