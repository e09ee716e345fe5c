package io.github.nspawnrunner.machine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What this installation makes a job's container with: its systemd-nspawn, and the LAVA client's
 * own jar (nspawn-runner-lava.jar), whose commands (submit, monitor-file) the container runs, when
 * there is one. The command that prepares a job finds both; the lifecycle takes them as given.
 */
public record ContainerTools(Path nspawn, Optional<Path> clientJar) {
}
