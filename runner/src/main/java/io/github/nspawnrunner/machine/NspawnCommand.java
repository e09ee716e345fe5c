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
 *
 * With a user namespace (USERS present), container uid K is host uid SHIFT+K. nspawn 252 can
 * neither pick the range nor idmap the tree under a custom root overlay, so prepare picks the
 * range and mounts an idmapped, read-only view of the chroot at the job's lower dir, and the
 * overlay is made over that: the chroot's root-owned files are root's inside, and what the job
 * writes lands in the upper dir owned by the job's uids. Ownership mode "off": nothing is chowned.
 * The project cache is bind-mounted idmapped, so files in it stay owned on disk by the uids they
 * have inside, whatever range the next job of the project gets.
 */
public record NspawnCommand(
        Path nspawn, MachineName machine, Chroot chroot, JobPaths paths, Optional<UidRange> users,
        Optional<Path> cacheDir, Optional<Path> gitlabRunnerBinary, Optional<Path> clientJar) {

    public static final String CONTAINER_CACHE_DIR = "/cache";
    public static final String CONTAINER_GITLAB_RUNNER = "/usr/local/bin/gitlab-runner";
    /** Where the chroot's `submit` and `monitor-file` commands find nspawn-runner's LAVA client (its own small jar). */
    public static final String CONTAINER_CLIENT_JAR = "/usr/share/nspawn-runner/nspawn-runner-lava.jar";
    /** Where the wrappers of chroots built before the client had a jar of its own look for it ({@code ... lava submit}). */
    public static final String CONTAINER_OLD_CLIENT_JAR = "/usr/share/nspawn-runner/nspawn-runner.jar";

    public List<String> argv() {
        Path base = chroot.directory();
        Path lower = users.isPresent() ? paths.lowerDir() : base;
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
                "--overlay=" + lower + ":" + paths.upperDir() + ":/",
                "--bind=" + paths.exchangeDir() + ":" + JobPaths.CONTAINER_EXCHANGE_DIR));
        users.ifPresent(range -> argv.addAll(List.of(
                "--private-users=" + range.nspawnValue(), "--private-users-ownership=off")));
        String cacheOptions = users.isPresent() ? ":idmap" : "";
        cacheDir.ifPresent(dir -> argv.add("--bind=" + dir + ":" + CONTAINER_CACHE_DIR + cacheOptions));
        gitlabRunnerBinary.ifPresent(binary -> argv.add("--bind-ro=" + binary + ":" + CONTAINER_GITLAB_RUNNER));
        clientJar.ifPresent(jar -> argv.addAll(List.of("--bind-ro=" + jar + ":" + CONTAINER_CLIENT_JAR,
                "--bind-ro=" + jar + ":" + CONTAINER_OLD_CLIENT_JAR)));
        return argv;
    }
}
