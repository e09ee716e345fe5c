package io.github.nspawnrunner.machine;

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
        Path nspawn, MachineName machine, Path base, JobPaths paths, Optional<UidRange> users,
        Optional<Path> cacheDir, Optional<Path> gitlabRunnerBinary, Optional<Path> clientJar, Optional<Holder> holder) {

    /**
     * A container of an image job, which holds its namespaces for entered stages instead of booting
     * (see {@link EnteredStages}): the image's, or its HELPER (the runner's default chroot, a
     * machine of its own with its own overlay). Both bind the job's BUILDS_DIR at /builds.
     */
    public record Holder(String bash, Path buildsDir, boolean helper) {
    }

    /**
     * What an image job's container runs instead of a booted systemd (see {@link Holder}): an idle
     * bash that holds the container's namespaces for the stages, which enter them. Builtins only
     * (an image may have nothing but bash): a read on a pipe it holds both ends of never returns.
     */
    public static final String HOLDER_SCRIPT = "exec 3<> <(:); while :; do read -r -t 86400 -u 3 _; done";

    /** A booted chroot. */
    public NspawnCommand(Path nspawn, MachineName machine, Path base, JobPaths paths, Optional<UidRange> users,
            Optional<Path> cacheDir, Optional<Path> gitlabRunnerBinary, Optional<Path> clientJar) {
        this(nspawn, machine, base, paths, users, cacheDir, gitlabRunnerBinary, clientJar, Optional.empty());
    }

    /** Where the job's checkout is, in the image's and in the helper's container. */
    public static final String CONTAINER_BUILDS_DIR = "/builds";

    public static final String CONTAINER_CACHE_DIR = "/cache";
    public static final String CONTAINER_GITLAB_RUNNER = "/usr/local/bin/gitlab-runner";
    /** Where the chroot's `submit` and `monitor-file` commands find nspawn-runner's LAVA client (its own small jar). */
    public static final String CONTAINER_CLIENT_JAR = "/usr/share/nspawn-runner/nspawn-runner-lava.jar";
    /** Where the wrappers of chroots built before the client had a jar of its own look for it ({@code ... lava submit}). */
    public static final String CONTAINER_OLD_CLIENT_JAR = "/usr/share/nspawn-runner/nspawn-runner.jar";

    public List<String> argv() {
        boolean helper = holder.filter(Holder::helper).isPresent();
        Path lower = users.isPresent() ? (helper ? paths.helperLowerDir() : paths.lowerDir()) : base;
        Path upper = helper ? paths.helperUpperDir() : paths.upperDir();
        List<String> argv = new ArrayList<>(List.of(
                nspawn.toString(),
                "--quiet",
                "--keep-unit",
                "--register=yes"));
        if (holder.isEmpty()) {
            argv.addAll(List.of("--boot", "--notify-ready=yes"));
        }
        argv.addAll(List.of(
                "--link-journal=no",
                // the container's journal in memory: on disk it would be most of a job's overlay (8 MB)
                "--tmpfs=/var/log/journal",
                "--machine=" + (helper ? machine.helper() : machine),
                "--directory=" + base,
                "--read-only",
                "--overlay=" + lower + ":" + upper + ":/",
                "--bind=" + paths.exchangeDir() + ":" + JobPaths.CONTAINER_EXCHANGE_DIR));
        users.ifPresent(range -> argv.addAll(List.of(
                "--private-users=" + range.nspawnValue(), "--private-users-ownership=off")));
        String cacheOptions = users.isPresent() ? ":idmap" : "";
        cacheDir.ifPresent(dir -> argv.add("--bind=" + dir + ":" + CONTAINER_CACHE_DIR + cacheOptions));
        holder.ifPresent(held -> argv.add("--bind=" + held.buildsDir() + ":" + CONTAINER_BUILDS_DIR));
        gitlabRunnerBinary.ifPresent(binary -> argv.add("--bind-ro=" + binary + ":" + CONTAINER_GITLAB_RUNNER));
        clientJar.ifPresent(jar -> argv.addAll(List.of("--bind-ro=" + jar + ":" + CONTAINER_CLIENT_JAR,
                "--bind-ro=" + jar + ":" + CONTAINER_OLD_CLIENT_JAR)));
        return argv;
    }

    /** What follows every option (the network's and the profile's come before it): a holder's command. */
    public List<String> payload() {
        // nspawn's stub init as PID 1 reaps and forwards signals; READY=1 comes once it runs
        return holder.map(held -> List.of("--as-pid2", "--", held.bash(), "-c", HOLDER_SCRIPT)).orElse(List.of());
    }
}
