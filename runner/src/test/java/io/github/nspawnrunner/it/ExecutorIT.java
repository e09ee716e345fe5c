package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor against real systemd, D-Bus, machined and overlayfs in a booted test host, driven
 * the way gitlab-runner drives it, without the executor service.
 */
@ExtendWith(TestHostExtension.class)
class ExecutorIT {
    static final AtomicLong JOB_IDS = new AtomicLong(1000 + ProcessHandle.current().pid() % 1000 * 1000);

    final Host host;

    ExecutorIT(Host host) {
        this.host = host;
    }

    /** Here every call starts a JVM of its own; {@link ServiceExecutorIT} runs these tests through the service. */
    SimulatedJob newJob() {
        return new SimulatedJob(host, JOB_IDS.incrementAndGet(), 77).runnerSetting("NSPAWN_RUNNER_NO_SERVICE", "1");
    }

    @AfterEach
    void leavesNothingBehind() {
        assertHostClean(host);
    }

    static void assertHostClean(Host host) {
        ExecResult units = host.shell("systemctl list-units --all --plain --no-legend 'nsr-*'");
        assertEquals("", units.stdout().trim(), "units left: " + units);
        ExecResult machines = host.shell("machinectl list --no-legend");
        assertEquals("", machines.stdout().trim(), "machines left: " + machines);
        ExecResult mounts = host.shell("grep -c ' /var/lib/nspawn-runner/state' /proc/self/mountinfo || true");
        assertEquals("1", mounts.stdout().trim(), "only the state dir's own bind mount may remain: " + mounts);
        Map<String, String> nothingOf = new LinkedHashMap<>();
        nothingOf.put("job links", "ip -o link show 2>/dev/null | grep -o ' nsr-[^:@]*'");
        nothingOf.put("job nftables tables", "nft list tables 2>/dev/null | grep nsr-");
        nothingOf.put("job address allocations", "ls -A /run/nspawn-runner/network 2>/dev/null");
        nothingOf.put("nspawn state", "ls -A /run/systemd/nspawn/propagate 2>/dev/null");
        nothingOf.put("device claims", "ls -A /run/nspawn-runner/devices 2>/dev/null");
        nothingOf.forEach((what, command) -> {
            ExecResult left = host.shell(command + " || true");
            assertEquals("", left.stdout().trim(), what + " left: " + left);
        });
        try (Stream<Path> jobs = Files.list(host.stateDirOutside().resolve("jobs"))) {
            assertEquals(List.of(), jobs.toList(), "job directories left");
        } catch (java.nio.file.NoSuchFileException e) {
            // no job ever ran: nothing left either
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> stages(String... nameAndBody) {
        Map<String, String> stages = new LinkedHashMap<>();
        for (int i = 0; i < nameAndBody.length; i += 2) {
            stages.put(nameAndBody[i], nameAndBody[i + 1]);
        }
        return stages;
    }

    @Test
    void successfulJobRunsEveryStageAndFilesOfGetSourcesReachTheScript() {
        SimulatedJob job = newJob();
        JobRun run = job.run(stages(
                "prepare_script", "echo preparing on $(hostname)",
                "get_sources", "mkdir -p " + SimulatedJob.PROJECT_DIR + " && cd " + SimulatedJob.PROJECT_DIR
                        + " && git init -q . && echo 'int main(){}' > main.c && git add main.c"
                        + " && git -c user.email=ci@x -c user.name=ci commit -qm init && echo fetched",
                "restore_cache", "ls -d /cache",
                "download_artifacts", "echo no artifacts",
                "build_script", "git log --oneline | wc -l; cat main.c; echo built > result.txt",
                "after_script", "cat result.txt",
                "archive_cache", "touch /cache/archived",
                "upload_artifacts_on_success", "echo uploading",
                "cleanup_file_variables", "true"));

        assertFalse(run.failed(), run.toString());
        assertTrue(run.config().stdout().contains("\"hostname\":\"" + job.machine() + "\""), run.config().toString());
        assertTrue(run.prepare().stderr().contains("started machine " + job.machine() + " (job " + job.id() + ")"),
                run.prepare().toString());
        assertEquals("preparing on " + job.machine(), run.stage("prepare_script").stdout());
        assertEquals("1\nint main(){}", run.stage("build_script").stdout());
        assertEquals("built", run.stage("after_script").stdout());
        assertEquals(List.of("prepare_script", "get_sources", "restore_cache", "download_artifacts", "build_script",
                "after_script", "archive_cache", "upload_artifacts_on_success", "cleanup_file_variables"),
                List.copyOf(run.stages().keySet()));
        run.stages().values().forEach(result -> assertEquals(0, result.exitCode(), result.toString()));
        assertEquals(0, run.cleanup().exitCode(), run.cleanup().toString());
    }

    @Test
    void failingScriptIsABuildFailureWithItsExitCodeAndAfterScriptStillRuns() {
        SimulatedJob job = newJob();
        JobRun run = job.run(stages(
                "build_script", "echo partial > partial.txt; echo failing; exit 42",
                "after_script", "echo after: $(cat partial.txt)",
                "archive_cache", "echo must not run",
                "archive_cache_on_failure", "echo archiving on failure",
                "upload_artifacts_on_success", "echo must not run",
                "upload_artifacts_on_failure", "echo uploading on failure"));

        assertTrue(run.failed());
        assertEquals(1, run.stage("build_script").exitCode(), run.stage("build_script").toString());
        assertEquals("failing", run.stage("build_script").stdout());
        assertEquals(java.util.Optional.of(42), job.buildExitCode());
        assertEquals("after: partial", run.stage("after_script").stdout());
        assertEquals(0, run.stage("after_script").exitCode());
        assertEquals("archiving on failure", run.stage("archive_cache_on_failure").stdout());
        assertEquals("uploading on failure", run.stage("upload_artifacts_on_failure").stdout());
        assertFalse(run.stages().containsKey("archive_cache"));
        assertFalse(run.stages().containsKey("upload_artifacts_on_success"));
        assertEquals(0, run.cleanup().exitCode());
    }

    @Test
    void failedGetSourcesSkipsTheScriptAndAfterScript() {
        JobRun run = newJob().run(stages(
                "get_sources", "echo cannot fetch >&2; false",
                "build_script", "echo must not run",
                "after_script", "echo must not run",
                "upload_artifacts_on_failure", "echo on failure"));
        assertEquals(1, run.stage("get_sources").exitCode());
        assertEquals("cannot fetch", run.stage("get_sources").stderr());
        assertFalse(run.stages().containsKey("build_script"));
        assertFalse(run.stages().containsKey("after_script"));
        assertEquals("on failure", run.stage("upload_artifacts_on_failure").stdout());
    }

    @Test
    void jobThatWritesEverywhereLeavesTheBaseChrootUntouched() throws IOException {
        Path chroot = TestHostExtension.chrootRootfs();
        String before = ChrootFingerprint.of(chroot);
        JobRun run = newJob().run(stages("build_script", String.join("\n",
                "echo job > /written-by-job",
                "echo 'intruder:x:0:0::/root:/bin/bash' >> /etc/passwd",
                "rm -rf /usr/share/doc /var/lib/dpkg/info/bash.list",
                "touch /usr/bin/planted && chmod 4755 /usr/bin/planted",
                "test -e /written-by-job && grep -q intruder /etc/passwd && echo wrote")));
        assertEquals("wrote", run.stage("build_script").stdout(), run.toString());
        assertFalse(Files.exists(chroot.resolve("written-by-job")));
        assertEquals(before, ChrootFingerprint.of(chroot));
        assertFalse(host.shell("cat " + TestHost.CHROOTS_DIR + "/bookworm/etc/passwd").stdout().contains("intruder"));
    }

    @Test
    void outputStreamsLiveLineByLine() {
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        try {
            ExecResult result = job.runStage("build_script",
                    "for i in 1 2 3; do echo tick $i; echo err $i >&2; sleep 1; done; echo done");
            assertEquals(0, result.exitCode(), result.toString());
            List<ExecResult.Line> lines = result.stdoutLines();
            assertEquals(List.of("tick 1", "tick 2", "tick 3", "done"), lines.stream().map(ExecResult.Line::text).toList());
            long first = lines.get(0).arrivedMillis();
            long last = lines.get(3).arrivedMillis();
            assertTrue(last - first >= 2500, "lines came together, not as written: " + lines);
            assertTrue(result.duration().toMillis() - first >= 2500, "first line only at the end: " + lines);
            assertEquals(List.of("err 1", "err 2", "err 3"), result.stderrLines());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void sigtermToTheProcessGroupStopsEveryProcessOfTheStageInTheMachine() {
        SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_STOP_GRACE_SECONDS", "3");
        assertEquals(0, job.prepare().exitCode());
        try {
            StubbornStage stubborn = new StubbornStage(1001, "stubborn-marker");
            RunnerProcess stage = job.startStage("build_script", stubborn.body("echo started"));
            stage.awaitOutput("started", Duration.ofSeconds(30));
            RunnerProcess.Cancelled cancelled = stage.cancel(Duration.ofSeconds(30));
            ExecResult result = cancelled.result();
            long tookMillis = cancelled.tookMillis();

            assertNotEquals(0, result.exitCode(), result.toString());
            assertTrue(tookMillis < 3000 + 5000, "cancel took " + tookMillis + " ms: " + result);
            assertTrue(result.stderr().contains("stage build_script of machine " + job.machine() + " (job " + job.id()
                    + ") cancelled"), result.toString());
            ExecResult left = host.shell("systemd-run -q -M " + job.machine() + " --pipe --wait pgrep -af '" + stubborn.processes() + "' || true");
            assertEquals("", left.stdout().trim(), "processes survived the cancel: " + left);
            ExecResult units = host.shell("systemctl -M " + job.machine() + " list-units --all --plain --no-legend 'nspawn-runner-*'");
            assertEquals("", units.stdout().trim(), units.toString());
            ExecResult after = job.runStage("after_script", "echo after cancel");
            assertEquals("after cancel", after.stdout(), after.toString());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void machineKilledUnderARunningStageIsASystemFailure() {
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        try {
            ExecResult result = job.buildScriptUnderAKilledMachine();
            assertEquals(2, result.exitCode(), result.toString());
            assertTrue(result.stderr().contains("ended without an exit status"), result.toString());
            assertTrue(result.stderr().contains(job.machine()), result.toString());
            ExecResult next = job.runStage("after_script", "echo unreachable");
            assertEquals(2, next.exitCode(), next.toString());
        } finally {
            ExecResult cleanup = job.cleanup();
            assertEquals(0, cleanup.exitCode(), cleanup.toString());
        }
    }

    @Test
    void concurrentJobsEachGetTheirOwnMachine() throws Exception {
        List<SimulatedJob> jobs = Stream.generate(this::newJob).limit(4).toList();
        ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
        try {
            List<Future<JobRun>> runs = new ArrayList<>();
            for (SimulatedJob job : jobs) {
                runs.add(pool.submit(() -> job.run(stages("build_script", String.join("\n",
                        "echo " + job.id() + " > /builds/whoami",
                        "sleep 2",
                        "echo $(hostname) $(cat /builds/whoami) $(ls /builds)")))));
            }
            for (int i = 0; i < jobs.size(); i++) {
                JobRun run = runs.get(i).get();
                SimulatedJob job = jobs.get(i);
                assertFalse(run.failed(), run.toString());
                assertEquals(job.machine() + " " + job.id() + " group whoami", run.stage("build_script").stdout());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leanBootLeavesOutLogindAndTimersUnlessTheAdminTurnsItOff() {
        String probe = "systemctl is-active systemd-logind.service apt-daily.timer dbus.service systemd-journald.service"
                + " || true; systemctl is-system-running || true";
        JobRun lean = newJob().run(stages("build_script", probe));
        assertFalse(lean.failed(), lean.toString());
        assertEquals("inactive\ninactive\nactive\nactive\nrunning", lean.stage("build_script").stdout(), lean.toString());
        JobRun full = newJob().runnerSetting("NSPAWN_RUNNER_LEAN_BOOT", "false").run(stages("build_script", probe));
        assertFalse(full.failed(), full.toString());
        assertEquals("active\nactive\nactive\nactive\nrunning", full.stage("build_script").stdout(), full.toString());
    }

    @Test
    void imageChoosesAnExistingChrootByPlainName() {
        JobRun run = newJob().variable("CI_JOB_IMAGE", TestHostExtension.SECOND_CHROOT)
                .run(stages("build_script", "echo ok"));
        assertFalse(run.failed(), run.toString());
        assertTrue(run.prepare().stderr().contains("on chroot " + TestHostExtension.SECOND_CHROOT), run.prepare().toString());
    }

    @Test
    void badChrootNamesAreRefusedBeforeAnythingIsCreated() {
        for (String image : List.of("../../../../", "/", "bookworm/../bookworm", "..", "-rf", "a b", "debian:12",
                "x\nnspawn-runner: fake", "does-not-exist")) {
            SimulatedJob job = newJob().variable("CI_JOB_IMAGE", image);
            ExecResult prepare = job.prepare();
            assertEquals(2, prepare.exitCode(), image + ": " + prepare);
            assertEquals(1, prepare.stderrLines().size(), image + ": " + prepare);
            String error = prepare.stderrLines().get(0);
            assertTrue(error.startsWith("nspawn-runner: error: refusing chroot '")
                    || error.startsWith("nspawn-runner: error: chroot 'does-not-exist' does not exist"), error);
            assertEquals("", prepare.stdout());
            assertFalse(Files.exists(host.stateDirOutside().resolve("jobs").resolve(job.machine())), image);
            assertHostClean(host);
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void jobVariablesCannotSteerAJobOntoAnotherJobsMachine() {
        SimulatedJob victim = newJob();
        assertEquals(0, victim.prepare().exitCode());
        try {
            SimulatedJob attacker = newJob()
                    .variable("CI_JOB_ID", Long.toString(victim.id()))
                    .variable("CI_CONCURRENT_ID", "0")
                    .variable("CI_PROJECT_DIR", "/builds/group/project");
            JobRun run = attacker.run(stages("build_script", "hostname; echo attacker > /tmp/owned"));
            assertEquals(attacker.machine(), run.stage("build_script").stdout(), run.toString());
            ExecResult check = victim.runStage("build_script", "hostname; test ! -e /tmp/owned && echo clean");
            assertEquals(victim.machine() + "\nclean", check.stdout(), check.toString());
        } finally {
            assertEquals(0, victim.cleanup().exitCode());
        }
    }

    @Test
    void filesAStagePlantsInTheExchangeDirAreNeverOpenedByTheHost() {
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        try {
            // opened on the host, the link would read the host's pid_max and the FIFO would block the stage forever
            ExecResult result = job.runStage("build_script", "ln -s /proc/sys/kernel/pid_max /run/nspawn-runner/build_script.exit-0;"
                    + " mkfifo /run/nspawn-runner/build_script.exit-7; exit 5");
            assertEquals(2, result.exitCode(), result.toString());
            assertTrue(result.stderr().contains("ended without an exit status"), result.toString());
            assertEquals(java.util.Optional.empty(), job.buildExitCode());
            ExecResult next = job.runStage("build_script", "exit 4");
            assertEquals(1, next.exitCode(), "planted files must not confuse the next stage: " + next);
            assertEquals(java.util.Optional.of(4), job.buildExitCode());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void cleanupIsIdempotentAndSafeWithoutPrepare() {
        SimulatedJob job = newJob();
        ExecResult nothing = job.cleanup();
        assertEquals(0, nothing.exitCode(), nothing.toString());
        assertTrue(nothing.stderr().contains("nothing left of machine " + job.machine()), nothing.toString());
        assertEquals(0, job.prepare().exitCode());
        assertEquals(0, job.cleanup().exitCode());
        assertEquals(0, job.cleanup().exitCode());
    }

    @Test
    void containerThatCannotBootFailsPrepareAndLeavesNothing() {
        host.shell("mkdir -p " + TestHost.CHROOTS_DIR + "/no-init/usr/bin && cp /usr/bin/bash " + TestHost.CHROOTS_DIR + "/no-init/usr/bin/");
        SimulatedJob job = newJob().variable("CI_JOB_IMAGE", "no-init").prepareRetryDelay(Duration.ofMillis(100));
        JobRun run = job.run(stages("build_script", "echo must not run"));
        assertEquals(2, run.prepare().exitCode(), run.prepare().toString());
        assertTrue(run.prepare().stderr().contains("cannot start machine " + job.machine()), run.prepare().toString());
        assertTrue(run.stages().isEmpty());
        assertEquals(0, run.cleanup().exitCode());
    }

    @Test
    void stagesRunFromTheStageTargetFileThatPrepareWritesAndCleanupRemoves() throws IOException {
        SimulatedJob job = newJob();
        Path target = job.tmpDir().resolve("nspawn-runner-stage-target");
        assertEquals(0, job.prepare().exitCode());
        try {
            assertTrue(Files.readString(target).contains("machine=" + job.machine() + "\n"), Files.readString(target));
            ExecResult badName = job.runStage("build;reboot", "echo must not run");
            assertEquals(2, badName.exitCode(), badName.toString());
            assertEquals(List.of("nspawn-runner: error: unexpected stage name 'build;reboot' for machine " + job.machine()
                    + " (job " + job.id() + "): gitlab-runner names stages like build_script ([A-Za-z0-9_-]{1,64})"),
                    badName.stderrLines());
            assertEquals("", badName.stdout());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
        assertFalse(Files.exists(target), "cleanup left " + target);
        ExecResult afterCleanup = job.runStage("after_script", "echo must not run");
        assertEquals(2, afterCleanup.exitCode(), afterCleanup.toString());
        assertTrue(afterCleanup.stderr().contains(job.machine() + " (job " + job.id() + ") is not prepared"), afterCleanup.toString());
    }

    @Test
    void aDirectoryGivenAsStageScriptIsNotAFileOnBothStagePaths() {
        SimulatedJob job = newJob();
        String directory = job.tmpDirInside() + "/script-dir";
        host.shell("mkdir -p " + directory);
        // no stage target file yet: the launcher hands the stage to the JVM (RunCommand)
        ExecResult jvm = job.runScriptAt(directory, "build_script");
        assertEquals(2, jvm.exitCode(), jvm.toString());
        assertEquals(List.of("nspawn-runner: error: stage script " + directory + " of machine " + job.machine() + " (job "
                + job.id() + ") is not a file"), jvm.stderrLines(), jvm.toString());
        assertEquals(0, job.prepare().exitCode());
        try {
            // prepared: the launcher's bash (libexec/run-stage.bash)
            ExecResult bash = job.runScriptAt(directory, "build_script");
            assertEquals(2, bash.exitCode(), bash.toString());
            assertEquals(List.of("nspawn-runner: error: stage script " + directory + " of machine " + job.machine() + " (job "
                    + job.id() + ") is not a file"), bash.stderrLines(), bash.toString());
            ExecResult missing = job.runScriptAt(directory + "/none", "build_script");
            assertTrue(missing.stderr().contains(" does not exist"), missing.toString());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void runWithoutPrepareIsASystemFailureNamingTheMachine() {
        SimulatedJob job = newJob();
        ExecResult result = job.runStage("build_script", "echo hi");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(job.machine() + " (job " + job.id() + ") is not prepared"), result.toString());
    }
}
