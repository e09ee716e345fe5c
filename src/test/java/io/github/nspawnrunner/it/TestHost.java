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

    private final Process nspawn;
    private final long leader;
    private final Path workDir;
    private final Path projectDir;

    private TestHost(Process nspawn, long leader, Path workDir, Path projectDir) {
        this.nspawn = nspawn;
        this.leader = leader;
        this.workDir = workDir;
        this.projectDir = projectDir;
    }

    /**
     * Boots ROOTFS with the project, the JDK and the job chroots (name → directory) bound in;
     * WORKDIR (on a real disk) holds the state dir and the jobs' temp dirs.
     */
    public static TestHost boot(Path rootfs, Path projectDir, Map<String, Path> chroots, Path workDir) throws IOException {
        Host.createWorkDir(workDir);
        Files.createDirectories(workDir.resolve("chroots"));
        String javaHome = System.getProperty("java.home");
        List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--register=no", "--keep-unit",
                "--directory=" + rootfs, "--volatile=overlay", "--boot",
                "--machine=nsr-testhost-" + ProcessHandle.current().pid(),
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
        long leader = awaitLeader(nspawn, workDir);
        TestHost host = new TestHost(nspawn, leader, workDir, projectDir);
        host.awaitBooted();
        return host;
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
        List<String> command = new ArrayList<>(List.of("nsenter", "--target=" + leader, "--all", "--"));
        command.addAll(Host.inNewSession(argv, environment, workingDirectory));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
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

    @Override
    public void close() {
        nspawn.destroy();
        try {
            if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
