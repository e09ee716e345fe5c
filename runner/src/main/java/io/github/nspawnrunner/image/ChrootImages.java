package io.github.nspawnrunner.image;

import io.github.nspawnrunner.chroot.ChrootManager;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.FollowDecision;
import io.github.nspawnrunner.chroot.PulledImage;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chroots from a registry: `chroot pull` installs an image as a new version; `chroot follow`
 * does so only when the tag names another image than the one the chroot is at (one manifest
 * request when nothing changed). Either way the chroot switches atomically, as an upgrade does.
 */
public final class ChrootImages {
    private final ChrootManager manager;
    private final ImageRegistry registry;
    private final Log log;

    public ChrootImages(ChrootManager manager, ImageRegistry registry, Log log) {
        this.manager = manager;
        this.registry = registry;
        this.log = log;
    }

    /** What `chroot follow` found: the image the chroot is at now, and whether this call installed it. */
    public record Followed(PulledImage image, boolean installed) {
    }

    /** Installs SOURCE as a new version of NAME, whatever NAME is at. */
    public PulledImage pull(ImageReference source, ChrootName name, Optional<RegistryCredentials> credentials) {
        manager.installed(name); // a plain directory fails here, before any request
        return install(source, resolve(source, credentials), name, credentials);
    }

    /** Installs SOURCE as a new version of NAME unless NAME's current version is the image SOURCE names now. */
    public Followed follow(ImageReference source, ChrootName name, Optional<RegistryCredentials> credentials) {
        FollowDecision.Installed installed = manager.installed(name);
        String digest = resolve(source, credentials);
        FollowDecision decision = FollowDecision.of(installed, digest);
        log.info("chroot '" + name + "' follows " + source + ": " + decision.reason());
        if (!decision.pull()) {
            return new Followed(new PulledImage(installed.version().orElseThrow(), source.toString(), digest), false);
        }
        return new Followed(install(source, digest, name, credentials), true);
    }

    private String resolve(ImageReference source, Optional<RegistryCredentials> credentials) {
        return registry.resolve(source, credentials, line -> { });
    }

    private PulledImage install(ImageReference source, String digest, ChrootName name, Optional<RegistryCredentials> credentials) {
        // by digest, so that the version is exactly the image resolved even if the tag moves meanwhile
        ImageReference pinned = source.withDigest(digest);
        log.info("installing " + pinned + " as a new version of chroot '" + name + "'");
        return manager.install(name, source.toString(), digest, building -> {
            Path work = building.resolveSibling(building.getFileName() + ".oci");
            try {
                Files.createDirectories(work);
                // the admin's own command: no image budget, only the disk's floor (PullBudget)
                registry.fetch(pinned, credentials, work, building, Long.MAX_VALUE, log::info);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make " + work + ": " + e.getMessage(), e);
            } finally {
                try {
                    FileTrees.remove(work);
                } catch (IOException e) {
                    log.info("could not remove " + work + ": " + e.getMessage());
                }
            }
        });
    }
}
