package io.github.nspawnrunner.chroot;

/**
 * Which image a chroot version was pulled from, recorded beside the versions (chroot.properties)
 * so that `chroot follow` can tell with one manifest request whether the tag still names it.
 *
 * @param version   the version directory's name, e.g. v20261203-201500-123
 * @param reference the reference as followed or pulled, e.g. registry.example.com/fleet/bookworm:stable
 * @param digest    the manifest digest installed, sha256:...
 */
public record PulledImage(String version, String reference, String digest) {
    @Override
    public String toString() {
        return reference + "@" + digest + " (" + version + ")";
    }
}
