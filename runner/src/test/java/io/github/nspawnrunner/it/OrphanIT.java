package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing is stranded: jobs that a reboot or a lost cleanup left behind are collected with all
 * their host state, by the executor service on its own or by `jobs gc`, and never a live job. In
 * a test host of its own that can power off and boot again on the same root
 * ({@link TestHost#bootPersistent}), with the executor service installed as setup does.
 */
class OrphanIT {
    private static final AtomicLong JOB_IDS = new AtomicLong(5000 + ProcessHandle.current().pid() % 1000 * 1000);
    private static final String SERVICE = "nspawn-runner.service";
    private static final String CHROOT = "bookworm";
    private static final int SIGSTOP = 19;
    private static final int SIGCONT = 18;

    private static TestHost host;

    @BeforeAll
    static void bootHost() throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("it.project.dir"));
        Path work = project.resolve("target/it-orphans");
        new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
        // a managed chroot (a link to its version) on the real disk, so that a version can be superseded and collected
        Path version = work.resolve("chroots/.versions/" + CHROOT + "/v1");
        Files.createDirectories(version.getParent());
        assertEquals(0, new ProcessBuilder("cp", "-a", TestHostExtension.chrootRootfs().toString(), version.toString())
                .inheritIO().start().waitFor());
        Files.createSymbolicLink(work.resolve("chroots/" + CHROOT), Path.of(".versions/" + CHROOT + "/v1"));
        host = TestHost.bootPersistent(Path.of(System.getProperty("it.testhost.rootfs")), project, Map.of(), work);
        ExecResult config = host.shell("mkdir -p /etc/nspawn-runner && printf 'chroots_dir = \"%s\"\\n' "
                + TestHost.MANAGED_CHROOTS_DIR + " > /etc/nspawn-runner/nspawn-runner.toml");
        assertEquals(0, config.exitCode(), config.toString());
    }

    @AfterAll
    static void powerOff() {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void installService() {
        ExecResult install = host.adminCli("service", "install");
        assertEquals(0, install.exitCode(), install.toString());
    }

    @AfterEach
    void leavesNothingBehind() {
        ExecutorIT.assertHostClean(host);
        assertEquals("", host.shell("ls -A " + TestHost.STATE_DIR + "/uid-ranges 2>/dev/null || true").stdout().trim(),
                "uid ranges still claimed");
    }

    private static SimulatedJob newJob() {
        return new SimulatedJob(host, JOB_IDS.incrementAndGet(), 91);
    }

    private static Path jobDir(SimulatedJob job) {
        return host.stateDirOutside().resolve("jobs").resolve(job.machine());
    }

    private static Path chrootVersion(String version) {
        return host.workDir().resolve("chroots/.versions/" + CHROOT + "/" + version);
    }

    private static String journal() {
        return host.shell("journalctl -u " + SERVICE + " -o cat --no-pager").stdout();
    }

    private static void prepare(SimulatedJob job) {
        assertEquals(0, job.config().exitCode());
        ExecResult prepare = job.prepare();
        assertEquals(0, prepare.exitCode(), prepare.toString());
    }

    @Test
    void aRebootWithTwoJobsRunningStrandsNothingAndTheirIdsRunAgain() throws Exception {
        SimulatedJob first = newJob();
        SimulatedJob second = newJob();
        prepare(first);
        prepare(second);
        RunnerProcess running = first.startStage("build_script", "echo started; sleep 600");
        running.awaitOutput("started", Duration.ofSeconds(60));
        // an upgrade while they run: new jobs get v2, these two keep v1 until they end
        assertEquals(0, new ProcessBuilder("cp", "-al", chrootVersion("v1").toString(), chrootVersion("v2").toString())
                .start().waitFor());
        Path link = host.workDir().resolve("chroots/" + CHROOT);
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of(".versions/" + CHROOT + "/v2"));
        assertTrue(Files.isDirectory(jobDir(first)) && Files.isDirectory(jobDir(second)));

        host.reboot();
        running.await(Duration.ofSeconds(30));

        // nobody runs anything: the service starts at boot and collects both
        String journal = Poll.until(Duration.ofSeconds(90), OrphanIT::journal, lines -> !Files.exists(jobDir(first))
                && !Files.exists(jobDir(second)) && !Files.exists(chrootVersion("v1"))
                && lines.contains("collected orphaned machine " + second.machine()));
        assertFalse(Files.exists(jobDir(first)), "not collected at boot: " + journal);
        assertFalse(Files.exists(jobDir(second)), "not collected at boot: " + journal);
        for (SimulatedJob job : List.of(first, second)) {
            assertTrue(journal.contains("collected orphaned machine " + job.machine() + " (job " + job.id() + ")")
                    && journal.contains("the host booted after its prepare"), journal);
            assertFalse(Files.exists(job.tmpDir().resolve("nspawn-runner-stage-target")), "stage target file left");
        }
        assertFalse(Files.exists(chrootVersion("v1")), "the orphans' chroot version was not released: " + journal);
        assertTrue(journal.contains("checked 2 job directories for orphans in "), journal);
        assertTrue(Files.isDirectory(chrootVersion("v2")));

        // the next job, with one of those ids, and a new one
        for (SimulatedJob job : List.of(new SimulatedJob(host, first.id(), 91), newJob())) {
            JobRun run = job.run(Map.of("build_script", "hostname"));
            assertFalse(run.failed(), run.toString());
            assertEquals(job.machine(), run.stage("build_script").stdout(), run.toString());
            assertFalse(run.toString().contains("did not take"), run.toString());
        }
    }

    @Test
    void jobsGcListsAndRemovesAnOrphanAndLeavesAJobInTheMiddleOfItsPrepareAlone() throws Exception {
        SimulatedJob orphan = newJob();
        prepare(orphan);
        // the machine dies and gitlab-runner goes away with its temp dir: no cleanup will ever come
        ExecResult kill = host.shell("machinectl kill --signal=SIGKILL " + orphan.machine()
                + " && for i in $(seq 100); do [ \"$(systemctl show -P LoadState " + orphan.machine() + ".service)\" = not-found ]"
                + " && ! machinectl status " + orphan.machine() + " > /dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1");
        assertEquals(0, kill.exitCode(), kill.toString());
        host.shell("rm -rf " + orphan.tmpDirInside());

        // a prepare in a JVM of its own, frozen as soon as its job's directory appears: before its unit exists
        SimulatedJob preparing = newJob().runnerSetting("NSPAWN_RUNNER_NO_SERVICE", "1");
        RunnerProcess prepare = preparing.startPrepare();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(jobDir(preparing)) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            prepare.signalGroup(SIGSTOP);
            assertTrue(Files.exists(jobDir(preparing)), "prepare never made its job directory");
            assertFalse(Files.exists(preparing.tmpDir().resolve("nspawn-runner-stage-target")));
            String unit = host.shell("systemctl is-active " + preparing.machine() + ".service").stdout().trim();
            // no unit yet: only the job's lock tells the collector that this job is alive
            assertEquals("inactive", unit, "prepare was frozen too late to prove anything");

            ExecResult dryRun = host.adminCli("jobs", "gc", "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun.toString());
            assertEquals(List.of("would remove machine " + orphan.machine() + " (job " + orphan.id() + ") at "
                    + TestHost.STATE_DIR + "/jobs/" + orphan.machine() + ": its machine, its unit and gitlab-runner's stage target file "
                    + orphan.tmpDirInside() + "/nspawn-runner-stage-target are gone"), dryRun.stdoutLines().stream().map(ExecResult.Line::text).toList(),
                    dryRun.toString());
            assertTrue(Files.isDirectory(jobDir(orphan)), "--dry-run removed it");

            ExecResult gc = host.adminCli("jobs", "gc");
            assertEquals(0, gc.exitCode(), gc.toString());
            assertEquals(1, gc.stdoutLines().size(), gc.toString());
            assertTrue(gc.stdout().startsWith("removed machine " + orphan.machine() + " (job " + orphan.id() + ")"), gc.toString());
            assertFalse(Files.exists(jobDir(orphan)), gc.toString());
            assertTrue(Files.isDirectory(jobDir(preparing)), "gc touched a job in the middle of its prepare: " + gc);

            ExecResult nobody = host.shell("setpriv --reuid=65534 --regid=65534 --clear-groups env JAVA_HOME=" + host.javaHome()
                    + " " + host.cli() + " jobs gc");
            assertEquals(1, nobody.exitCode(), nobody.toString());
            assertEquals(List.of("nspawn-runner: error: jobs gc must run as root: it removes jobs' machines and files"),
                    nobody.stderrLines(), nobody.toString());
        } finally {
            prepare.signalGroup(SIGCONT);
            // nsenter stopped itself when its child stopped (it passes job control on): it goes on too
            prepare.continueLauncher();
        }
        ExecResult prepared = prepare.await(Duration.ofSeconds(120));
        assertFalse(Files.exists(jobDir(orphan)));
        assertEquals(0, prepared.exitCode(), prepared.toString());
        assertEquals(preparing.machine(), preparing.runStage("build_script", "hostname").stdout().trim());
        assertEquals(0, preparing.cleanup().exitCode());
        ExecResult nothing = host.adminCli("jobs", "gc");
        assertEquals(0, nothing.exitCode(), nothing.toString());
        assertEquals("", nothing.stdout(), nothing.toString());
    }

    @Test
    void aTreeBuiltHereAndCopiedElsewhereIsInstalledAndServedFromThere() {
        String moved = "/opt/moved-nspawn-runner";
        String project = host.cli().replace("/bin/nspawn-runner", "");
        ExecResult copy = host.shell("rm -rf " + moved + " && mkdir -p " + moved + "/target && cp -a " + project + "/bin "
                + project + "/libexec " + project + "/rootfs-builder " + moved + "/ && cp -a " + project + "/target/nspawn-runner.jar "
                + project + "/target/nspawn-runner.jar.jsa " + moved + "/target/");
        assertEquals(0, copy.exitCode(), copy.toString());
        String launcher = moved + "/bin/nspawn-runner";
        try {
            ExecResult install = host.exec(List.of(launcher, "service", "install"), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
                    "JAVA_HOME", host.javaHome()), "/");
            assertEquals(0, install.exitCode(), install.toString());
            assertTrue(install.stderr().contains("rebuilt the class-data archive " + moved + "/target/nspawn-runner.jar.jsa"),
                    install.toString());
            assertEquals(launcher + " service run",
                    host.shell("grep -Po '^ExecStart=\\K.*' /etc/systemd/system/" + SERVICE).stdout().trim());
            SimulatedJob job = newJob().launcher(launcher);
            JobRun run = job.run(Map.of("build_script", "hostname"));
            assertFalse(run.failed(), run.toString());
            assertFalse(run.toString().contains("did not take") || run.toString().contains("JVM of its own"), run.toString());
            String journal = journal();
            assertTrue(journal.contains("serving io.github.nspawnrunner.Executor1 for " + moved + "/target/nspawn-runner.jar"), journal);
            assertTrue(journal.contains("started machine " + job.machine() + " "), journal);
            // the class-data archive copied with the jar maps for the jar where it is now (-Xshare:on fails otherwise)
            ExecResult cds = host.shell(host.javaHome() + "/bin/java -Xshare:on -XX:SharedArchiveFile=" + moved
                    + "/target/nspawn-runner.jar.jsa -cp " + moved + "/target/nspawn-runner.jar io.github.nspawnrunner.Main --version");
            assertEquals(0, cds.exitCode(), cds.toString());
        } finally {
            host.shell("systemctl stop " + SERVICE + "; rm -rf " + moved);
        }
    }
}
