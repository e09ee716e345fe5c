package io.github.nspawnrunner.machine;

import java.nio.file.Path;

/**
 * Where a job's files live on the host. Everything of a job sits under {@link #jobDir()}, which
 * cleanup removes whole; nspawn puts the overlay's work dir beside the upper dir, so inside it too.
 */
public record JobPaths(Path jobDir) {
    /** Bind-mounted into the container: the host drops stage scripts here and reads exit statuses back. */
    public static final String CONTAINER_EXCHANGE_DIR = "/run/nspawn-runner";

    public static JobPaths of(Path jobsDir, MachineName machine) {
        return new JobPaths(jobsDir.resolve(machine.value()));
    }

    public Path upperDir() {
        return jobDir.resolve("upper");
    }

    public Path exchangeDir() {
        return jobDir.resolve("exchange");
    }

    /** With a user namespace: where prepare mounts the chroot idmapped while the container boots. */
    public Path lowerDir() {
        return jobDir.resolve("lower");
    }

    /** With a profile's container engines: their image and container storage, on the host's disk. */
    public Path containerStorage() {
        return jobDir.resolve("containers");
    }

    public Path consoleLog() {
        return jobDir.resolve("console.log");
    }
}
