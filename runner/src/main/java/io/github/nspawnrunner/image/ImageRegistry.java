package io.github.nspawnrunner.image;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** The registry side of the store: resolving references and fetching images (skopeo and umoci: {@link ToolRegistry}). */
public interface ImageRegistry {
    /** REFERENCE's manifest digest, asked with CREDENTIALS (anonymously when empty): one manifest request. */
    String resolve(ImageReference reference, Optional<RegistryCredentials> credentials, Consumer<String> progress);

    /**
     * Fetches PINNED (a reference with a digest) and unpacks it into ROOTFS (not existing yet),
     * using WORK (an empty directory) for anything else; returns the image's config. The download
     * and the unpacked tree may each take MAXBYTES: an image that declares more is refused before
     * any layer is fetched, and a pull that writes more is stopped (the job's fault, one line).
     */
    ImageConfig fetch(ImageReference pinned, Optional<RegistryCredentials> credentials, Path work, Path rootfs, long maxBytes,
            Consumer<String> progress);

    /**
     * Publishes ROOTFS as the image REFERENCE (a tag), with CONFIG, using WORK (an empty directory)
     * for the layout; returns the pushed manifest's digest.
     */
    String publish(Path rootfs, ImageReference reference, Optional<RegistryCredentials> credentials, ImageConfig config, Path work,
            Consumer<String> progress);
}
