package io.github.nspawnrunner.machine;

import java.nio.file.Path;

/**
 * Where a job's files live on the host. Everything of a job sits under {@link #jobDir()}, which
 * cleanup removes whole; nspawn puts the overlay's work dir beside the upper dir, so inside it too.
 */
public record JobPaths(Path jobDir) {
    /**
     * Bind-mounted into the container: the host reads exit statuses back from here (the names of
     * the markers a stage leaves, the stage target file's marker_dir).
     */
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

    /** For an image job (no systemd inside): its container's namespaces as files, which stages enter. */
    public Path namespacesDir() {
        return jobDir.resolve("ns");
    }

    /**
     * For an image job: the job's builds dir (/builds inside), a host directory bound into both its
     * containers, the image's and the helper's, so that what get_sources checks out there is the
     * script's working tree.
     */
    public Path buildsDir() {
        return jobDir.resolve("builds");
    }

    /** For an image job: the overlay's upper dir of its helper container (see {@link #helperNamespacesDir()}). */
    public Path helperUpperDir() {
        return jobDir.resolve("helper-upper");
    }

    /** For an image job with a user namespace: where prepare mounts the helper's chroot idmapped while it starts. */
    public Path helperLowerDir() {
        return jobDir.resolve("helper-lower");
    }

    /**
     * For an image job: the namespaces of its helper container, a non-booted container of the
     * runner's default chroot (git, gitlab-runner), as files, which the stages that fetch and
     * store (get_sources, the cache and artifact stages) enter instead of the image's.
     */
    public Path helperNamespacesDir() {
        return jobDir.resolve("helper-ns");
    }

    public Path helperConsoleLog() {
        return jobDir.resolve("helper-console.log");
    }

    public Path consoleLog() {
        return jobDir.resolve("console.log");
    }
}
