package io.github.nspawnrunner.image;

import io.github.nspawnrunner.config.ImagePattern;
import io.github.nspawnrunner.config.ImageSettings;
import io.github.nspawnrunner.failure.ExecutorException;
import java.util.List;

/**
 * Whether a job may use an image: its registry must be one of the admin's image_registries, and
 * its normalized reference must match one of images_allowed. With no registry configured (the
 * default), every image is refused.
 */
public final class ImagePolicy {
    private final ImageSettings settings;

    public ImagePolicy(ImageSettings settings) {
        this.settings = settings;
    }

    /** REFERENCE if allowed, else the job's fault in one line naming the image and what is allowed. */
    public ImageReference check(ImageReference reference) {
        List<String> registries = settings.registries();
        if (registries.isEmpty()) {
            throw ExecutorException.build("image " + reference + " refused: this runner takes no images from registries"
                    + " (its admin has set no image_registries)");
        }
        if (!registries.contains(reference.registry())) {
            throw ExecutorException.build("image " + reference + " refused: registry " + reference.registry()
                    + " is not one of this runner's image_registries (" + String.join(", ", registries) + ")");
        }
        for (ImagePattern pattern : settings.allowed()) {
            if (pattern.matches(reference.toString())) {
                return reference;
            }
        }
        throw ExecutorException.build("image " + reference + " refused: it matches none of this runner's images_allowed ("
                + String.join(", ", settings.allowed().stream().map(ImagePattern::glob).toList()) + ")");
    }

    /** TEXT (a job's image:) parsed and checked, or the job's fault in one line. */
    public ImageReference check(String text) {
        ImageReference reference = ImageReference.tryParse(text)
                .orElseThrow(() -> ExecutorException.build(ImageReference.problem(text)));
        return check(reference);
    }

    public ImageSettings settings() {
        return settings;
    }
}
