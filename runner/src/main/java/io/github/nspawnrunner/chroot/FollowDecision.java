package io.github.nspawnrunner.chroot;

import java.util.Optional;

/**
 * Whether `chroot follow` installs the image its tag names now: only when the chroot is not that
 * image already. The tag is resolved to a digest with one manifest request; when the chroot's
 * current version is the pull of that digest, nothing is fetched, no version made, nothing
 * switched. A current version made here (create, upgrade, login --persistent) is not the tag's
 * image: following means the host runs the build the tag names, so it is replaced.
 *
 * @param pull   whether to pull and switch
 * @param reason one phrase for the log: why, or what the chroot is at
 */
public record FollowDecision(boolean pull, String reason) {
    /**
     * What a chroot is at.
     *
     * @param version the version its name points at; empty when there is no such chroot
     * @param pulled  the image its versions were last pulled from, as recorded; whether it is the
     *                current version's says its version field
     */
    public record Installed(Optional<String> version, Optional<PulledImage> pulled) {
    }

    public static FollowDecision of(Installed installed, String digest) {
        if (installed.version().isEmpty()) {
            return new FollowDecision(true, "the chroot does not exist yet");
        }
        String current = installed.version().get();
        Optional<PulledImage> pulled = installed.pulled().filter(image -> image.version().equals(current));
        if (pulled.isEmpty()) {
            return new FollowDecision(true, "its current version " + current + " was made on this host, not pulled");
        }
        if (!pulled.get().digest().equals(digest)) {
            return new FollowDecision(true, "the tag moved from " + pulled.get().digest() + " to " + digest);
        }
        return new FollowDecision(false, "it is at " + digest + " already (" + current + ")");
    }
}
