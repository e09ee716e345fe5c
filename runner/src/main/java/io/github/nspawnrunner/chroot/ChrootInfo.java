package io.github.nspawnrunner.chroot;

import java.time.Instant;
import java.util.Optional;

/** One line of `chroot list`. */
public record ChrootInfo(ChrootName name, String distro, long sizeBytes, Optional<Instant> created,
                         Optional<Instant> updated, int jobs) {
}
