package io.github.nspawnrunner.machine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's file that counts the OOM killer's kills in a job's memory cgroup (the line
 * {@code oom_kill N}). The launcher reads it before and after each stage, so that a stage ended by
 * the memory limit says so. Read from the kernel, not systemd: systemd 252 keeps no such count
 * for a unit, and on a cgroup v1 host it does not notice an OOM kill at all.
 */
final class OomCounter {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private OomCounter() {
    }

    /** The file for UNIT in machine.slice (where every job's unit runs), once the unit has started. */
    static Optional<Path> fileOf(String unit) {
        Path cgroup = Path.of("machine.slice", unit);
        List<Path> candidates = List.of(
                CGROUP_ROOT.resolve(cgroup).resolve("memory.events"),           // unified hierarchy (v2)
                CGROUP_ROOT.resolve("memory").resolve(cgroup).resolve("memory.oom_control")); // legacy (v1)
        for (Path candidate : candidates) {
            if (Files.isReadable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
