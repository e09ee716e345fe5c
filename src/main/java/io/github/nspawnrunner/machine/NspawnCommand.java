package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.chroot.Chroot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The systemd-nspawn command line of a job's container: a booted systemd on a writable overlay
 * over the read-only chroot. --read-only takes only a shared lock on the chroot (so many jobs can
 * share it) and keeps the base untouched; all writes land in the job's upper dir. nspawn mounts
 * the overlay inside the container's own mount namespace, so no mount outlives the container.
 */
public record NspawnCommand(
        Path nspawn, MachineName machine, Chroot chroot, JobPaths paths,
        Optional<Path> cacheDir, Optional<Path> gitlabRunnerBinary, Optional<Path> clientJar) {

    public static final String CONTAINER_CACHE_DIR = "/cache";
    public static final String CONTAINER_GITLAB_RUNNER = "/usr/local/bin/gitlab-runner";
    /** Where the chroot's `submit` and `monitor-file` commands find nspawn-runner's LAVA client. */
    public static final String CONTAINER_CLIENT_JAR = "/usr/share/nspawn-runner/nspawn-runner.jar";

    public List<String> argv() {
        Path base = chroot.directory();
        List<String> argv = new ArrayList<>(List.of(
                nspawn.toString(),
                "--quiet",
                "--keep-unit",
                "--register=yes",
                "--boot",
                "--notify-ready=yes",
                "--link-journal=no",
                // the container's journal in memory: on disk it would be most of a job's overlay (8 MB)
                "--tmpfs=/var/log/journal",
                "--machine=" + machine,
                "--directory=" + base,
                "--read-only",
                "--overlay=" + base + ":" + paths.upperDir() + ":/",
                "--bind=" + paths.exchangeDir() + ":" + JobPaths.CONTAINER_EXCHANGE_DIR));
        cacheDir.ifPresent(dir -> argv.add("--bind=" + dir + ":" + CONTAINER_CACHE_DIR));
        gitlabRunnerBinary.ifPresent(binary -> argv.add("--bind-ro=" + binary + ":" + CONTAINER_GITLAB_RUNNER));
        clientJar.ifPresent(jar -> argv.add("--bind-ro=" + jar + ":" + CONTAINER_CLIENT_JAR));
        return argv;
    }
}
