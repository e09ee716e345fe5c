package io.github.nspawnrunner.chroot;

import java.time.Instant;
import java.util.Optional;

/** One line of `chroot list`; IMAGE is reference@digest when the current version was pulled from a registry. */
public record ChrootInfo(ChrootName name, String distro, long sizeBytes, Optional<Instant> created,
                         Optional<Instant> updated, int jobs, Optional<String> image) {
}
