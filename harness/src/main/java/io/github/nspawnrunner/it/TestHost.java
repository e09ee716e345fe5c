package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A booted systemd (with D-Bus and machined) in a systemd-nspawn container, for machines whose
 * PID 1 is not systemd. Its root stays pristine (--volatile=overlay); what must survive it or
 * carry nested overlays is bind-mounted from the real disk.
 */
public final class TestHost implements Host, AutoCloseable {
    public static final String CHROOTS_DIR = "/var/lib/nspawn-runner/chroots";
    public static final String STATE_DIR = "/var/lib/nspawn-runner/state";
    static final String JOBS_ROOT = "/srv/jobs";
    /** A chroots dir on the real disk, for chroots the tests build with `nspawn-runner chroot`. */
    public static final String MANAGED_CHROOTS_DIR = "/srv/chroots";

    private Process nspawn;
    private long leader;
    private final Path workDir;
    private final Path projectDir;
    private final OutsideNetwork outside;
    private final HostCgroups cgroups;
    /** For a host that can reboot ({@link #bootPersistent}): how nspawn boots it, and its root's overlay mount here. */
    private List<String> argv = List.of();
    private Path mergedRoot;

    private TestHost(Process nspawn, long leader, Path workDir, Path projectDir, OutsideNetwork outside, HostCgroups cgroups) {
        this.nspawn = nspawn;
        this.leader = leader;
        this.workDir = workDir;
        this.projectDir = projectDir;
        this.outside = outside;
        this.cgroups = cgroups;
    }

    /**
     * A test host that keeps its root across {@link #reboot()}: ROOTFS under an overlay mounted
     * here, its upper dir in WORKDIR, so /etc (the installed service) and /var survive, while /run
     * is new at every boot, as on a real host. It has a network namespace of its own that dies with
     * it (--private-network: nothing to reach, and no second {@link OutsideNetwork} in this JVM),
     * and leaves the cgroup controllers to nspawn (no limits enforced: it may run beside the
     * shared test host). For tests of what a crash or a reboot leaves.
     */
    public static TestHost bootPersistent(Path rootfs, Path projectDir, Map<String, Path> chroots, Path workDir) throws IOException {
        Host.createWorkDir(workDir);
        Files.createDirectories(workDir.resolve("chroots"));
        Path merged = Files.createDirectories(workDir.resolve("root"));
        Path upper = Files.createDirectories(workDir.resolve("root-upper"));
        Path work = Files.createDirectories(workDir.resolve("root-work"));
        run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + rootfs + ",upperdir=" + upper + ",workdir=" + work,
                merged.toString()));
        List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--register=no", "--keep-unit",
                "--directory=" + merged, "--boot", "--machine=nsr-testhost-p" + ProcessHandle.current().pid(),
                "--private-network", "--resolv-conf=off",
                "--bind-ro=/usr/lib/jvm", "--bind-ro=/etc/java-17-openjdk", "--bind-ro=" + projectDir,
                "--bind=" + workDir.resolve("state") + ":" + STATE_DIR,
                "--bind=" + workDir.resolve("jobs") + ":" + JOBS_ROOT,
                "--bind=" + workDir.resolve("chroots") + ":" + MANAGED_CHROOTS_DIR));
        if (!System.getProperty("java.home").startsWith("/usr/lib/jvm/")) {
            argv.add("--bind-ro=" + System.getProperty("java.home"));
        }
        chroots.forEach((name, dir) -> argv.add("--bind-ro=" + dir + ":" + CHROOTS_DIR + "/" + name));
        TestHost host = new TestHost(null, 0, workDir, projectDir, null, null);
        host.argv = List.copyOf(argv);
        host.mergedRoot = merged;
        try {
            host.start();
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    private void start() throws IOException {
        nspawn = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("testhost-console.log").toFile()))
                .redirectErrorStream(true)
                .start();
        try {
            leader = awaitLeader(nspawn, workDir);
        } catch (IOException | RuntimeException e) {
            nspawn.destroyForcibly();
            throw e;
        }
        awaitBooted();
    }

    /**
     * Powers the host off as its admin would (systemd stops every unit, job containers included,
     * and nothing of nspawn-runner runs: no cleanup) and boots it again on the same root.
     */
    public void reboot() throws IOException {
        if (mergedRoot == null) {
            throw new IllegalStateException("only a host from bootPersistent can reboot");
        }
        shell("systemctl poweroff --no-block");
        try {
            if (!nspawn.waitFor(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test host did not power off within 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        start();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Boots ROOTFS with the project, the JDK and the job chroots (name → directory) bound in;
     * WORKDIR (on a real disk) holds the state dir and the jobs' temp dirs. It has a network of
     * its own ({@link OutsideNetwork}) and enforces cgroup limits and device policies.
     */
    public static TestHost boot(Path rootfs, Path projectDir, Map<String, Path> chroots, Path workDir) throws IOException {
        Host.createWorkDir(workDir);
        Files.createDirectories(workDir.resolve("chroots"));
        HostCgroups cgroups = HostCgroups.snapshot();
        OutsideNetwork outside = OutsideNetwork.create(workDir);
        try {
            return boot(rootfs, projectDir, chroots, workDir, outside, cgroups);
        } catch (IOException | RuntimeException e) {
            outside.close();
            throw e;
        }
    }

    private static TestHost boot(Path rootfs, Path projectDir, Map<String, Path> chroots, Path workDir,
            OutsideNetwork outside, HostCgroups cgroups) throws IOException {
        String javaHome = System.getProperty("java.home");
        List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--register=no", "--keep-unit",
                "--directory=" + rootfs, "--volatile=overlay", "--boot",
                "--machine=nsr-testhost-" + ProcessHandle.current().pid(),
                "--network-namespace-path=" + outside.hostNamespace(), "--resolv-conf=off",
                // nspawn keeps CAP_NET_ADMIN only with networks it makes itself; a runner host has it
                // (its jobs' veths and nftables tables), and here it acts on the test host's namespace only
                "--capability=CAP_NET_ADMIN",
                "--bind-ro=/usr/lib/jvm", "--bind-ro=/etc/java-17-openjdk",
                // at the same path as here: the jar's class-data sharing archive records that path
                "--bind-ro=" + projectDir,
                "--bind=" + workDir.resolve("state") + ":" + STATE_DIR,
                "--bind=" + workDir.resolve("jobs") + ":" + JOBS_ROOT,
                "--bind=" + workDir.resolve("chroots") + ":" + MANAGED_CHROOTS_DIR));
        if (!javaHome.startsWith("/usr/lib/jvm/")) {
            argv.add("--bind-ro=" + javaHome);
        }
        chroots.forEach((name, dir) -> argv.add("--bind-ro=" + dir + ":" + CHROOTS_DIR + "/" + name));
        Process nspawn = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(workDir.resolve("testhost-console.log").toFile())
                .redirectErrorStream(true)
                .start();
        long leader;
        try {
            leader = awaitLeader(nspawn, workDir);
        } catch (IOException | RuntimeException e) {
            nspawn.destroyForcibly();
            throw e;
        }
        TestHost host = new TestHost(nspawn, leader, workDir, projectDir, outside, cgroups);
        host.awaitBooted();
        host.enableLimits();
        host.enableNetworkSettings();
        ExecResult resolver = host.shell("rm -f /etc/resolv.conf && echo 'nameserver " + OutsideNetwork.OUTSIDE_ADDRESS
                + "' > /etc/resolv.conf");
        if (resolver.exitCode() != 0) {
            host.close();
            throw new IllegalStateException("could not write the test host's /etc/resolv.conf: " + resolver);
        }
        return host;
    }

    /**
     * nspawn gives the test host this machine's v1 controllers read-only, so its systemd would accept
     * MemoryMax=, TasksMax= or DevicePolicy= and enforce nothing. Mounted writable (the test host's
     * cgroups then live in this machine's real hierarchies: see {@link HostCgroups}) and with
     * systemd re-executed to see them, they are enforced as on a real runner host.
     */
    private void enableLimits() {
        ExecResult remount = shell("set -e; mount -o remount,rw /sys/fs/cgroup; for c in "
                + String.join(" ", HostCgroups.CONTROLLERS) + "; do umount -l /sys/fs/cgroup/$c;"
                + " mount -t cgroup -o $c cgroup /sys/fs/cgroup/$c; done; systemctl daemon-reexec");
        if (remount.exitCode() != 0) {
            close();
            throw new IllegalStateException("could not make cgroup limits enforceable in the test host: " + remount);
        }
        awaitBooted();
        ExecResult check = shell("test -d /sys/fs/cgroup/memory/system.slice");
        if (check.exitCode() != 0) {
            close();
            throw new IllegalStateException("the test host's systemd made no memory cgroups after daemon-reexec");
        }
    }

    /**
     * nspawn mounts /proc/sys read-only, and leaves /proc/sys/net writable only with networks it
     * makes itself. A runner host writes net.ipv4.ip_forward for its private-network jobs; here
     * that is the test host's own namespace's setting, never this machine's.
     */
    private void enableNetworkSettings() {
        ExecResult remount = shell("set -e; mount --bind /proc/sys/net /proc/sys/net; mount -o remount,bind,rw /proc/sys/net;"
                + " test \"$(cat /proc/sys/net/ipv4/ip_forward)\" = 0");
        if (remount.exitCode() != 0) {
            close();
            throw new IllegalStateException("could not make the test host's network settings writable: " + remount);
        }
    }

    /** The outside world of this test host: DNS, servers, and forwards to this machine's loopback. */
    public OutsideNetwork outside() {
        return outside;
    }

    /** Until systemd's bus is up, systemctl cannot even ask: retry that, then let it wait for the boot. */
    private void awaitBooted() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ExecResult state;
        do {
            state = shell("systemctl is-system-running --wait");
            if (state.stdout().contains("running") || state.stdout().contains("degraded")) {
                return;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        close();
        throw new IllegalStateException("test host did not boot within 60 s: " + state);
    }

    private static long awaitLeader(Process nspawn, Path workDir) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!nspawn.isAlive()) {
                throw new IllegalStateException("systemd-nspawn of the test host exited: "
                        + Files.readString(workDir.resolve("testhost-console.log")));
            }
            var init = nspawn.toHandle().children().filter(TestHost::isSystemd).findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            sleep(20);
        }
        throw new IllegalStateException("the test host's systemd did not start within 30 s");
    }

    private static boolean isSystemd(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm")).trim().equals("systemd");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public RunnerProcess start(List<String> argv, Map<String, String> environment, String workingDirectory) {
        // nsenter's --wd=DIR would resolve DIR outside the container: env changes directory inside
        List<String> nsenter = List.of("nsenter", "--target=" + leader, "--all", "--");
        try {
            Process process = Host.inNewSession(nsenter, argv, environment, workingDirectory).start();
            // nsenter forks into the PID namespace; its child becomes the session and group leader
            return new RunnerProcess(process, () -> groupLeaderOf(process));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long groupLeaderOf(Process nsenter) {
        return nsenter.toHandle().children().findFirst()
                .orElseThrow(() -> new IllegalStateException("nsenter has no child (already ended?)"))
                .pid();
    }

    @Override
    public String cli() {
        return projectDir.resolve("bin/nspawn-runner").toString();
    }

    @Override
    public String jobsRootInside() {
        return JOBS_ROOT;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Map<String, String> runnerEnvironment() {
        return Map.of();
    }

    /** The server at LOOPBACKURL on this machine's 127.0.0.1 is reached at the outside's address. */
    @Override
    public String urlFromInside(String loopbackUrl) {
        java.net.URI uri = java.net.URI.create(loopbackUrl);
        if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost")) {
            throw new IllegalArgumentException("not a URL on this machine's loopback: " + loopbackUrl);
        }
        String forwarded = outside.forwardToLoopback(uri.getPort());
        return loopbackUrl.replace(uri.getHost() + ":" + uri.getPort(), forwarded);
    }

    @Override
    public void close() {
        try {
            if (nspawn != null) {
                nspawn.destroy();
                if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                    nspawn.destroyForcibly();
                    nspawn.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (cgroups != null) {
                cgroups.removeAdded();
            }
            if (outside != null) {
                outside.close();
            }
            if (mergedRoot != null) {
                try {
                    run(List.of("umount", mergedRoot.toString()));
                } catch (IOException | RuntimeException e) {
                    System.err.println("test harness: could not unmount " + mergedRoot + ": " + e.getMessage());
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
