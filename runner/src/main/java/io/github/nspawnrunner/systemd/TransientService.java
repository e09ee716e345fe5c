package io.github.nspawnrunner.systemd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Type=notify service to start, in SLICE (machine.slice, or an image job's own slice) with its
 * cgroup delegated (what systemd-nspawn needs), collected by systemd even when it fails so that
 * nothing lingers, under RESOURCES.
 */
public record TransientService(
        String unit, String description, List<String> command, Duration startTimeout, Path outputFile,
        ResourceControl resources, String slice) {
    public static final String MACHINE_SLICE = "machine.slice";

    /** In machine.slice, where nspawn puts its machines. */
    public TransientService(String unit, String description, List<String> command, Duration startTimeout, Path outputFile,
            ResourceControl resources) {
        this(unit, description, command, startTimeout, outputFile, resources, MACHINE_SLICE);
    }

    public TransientService {
        command = List.copyOf(command);
        if (command.isEmpty() || !command.get(0).startsWith("/")) {
            throw new IllegalArgumentException("command must start with an absolute path: " + command);
        }
    }
}
