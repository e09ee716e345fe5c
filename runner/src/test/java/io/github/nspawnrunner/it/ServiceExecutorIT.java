package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nspawnrunner.testing.Poll;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every executor test again, with the executor service installed as 'nspawn-runner setup' does:
 * config, prepare and cleanup reach the resident JVM through busctl and the real system bus.
 */
class ServiceExecutorIT extends ExecutorIT {
    private static final String SERVICE = "nspawn-runner.service";
    private static final String BUS_NAME = "io.github.nspawnrunner.Executor1";

    ServiceExecutorIT(Host host) {
        super(host);
    }

    @Override
    SimulatedJob newJob() {
        return new SimulatedJob(host, JOB_IDS.incrementAndGet(), 77);
    }

    @BeforeAll
    static void installService(Host host) {
        ExecResult install = host.adminCli("service", "install");
        assertEquals(0, install.exitCode(), install.toString());
        ExecResult unit = host.shell("systemctl show -P LoadState,Type,BusName " + SERVICE);
        assertEquals("dbus\n" + BUS_NAME + "\nloaded", unit.stdout().trim(), unit.toString());
    }

    @AfterAll
    static void removeService(Host host) {
        ExecResult remove = host.adminCli("service", "remove");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals("inactive", host.shell("systemctl is-active " + SERVICE).stdout().trim());
        assertEquals("", host.shell("ls /etc/systemd/system/" + SERVICE + " /etc/dbus-1/system.d/" + BUS_NAME + ".conf"
                + " 2>/dev/null || true").stdout().trim());
    }

    private String journal() {
        return host.shell("journalctl -u " + SERVICE + " -o cat --no-pager").stdout();
    }

    private void overrideService(String... serviceLines) {
        String dropIn = "/run/systemd/system/" + SERVICE + ".d";
        host.shell("systemctl stop " + SERVICE + "; mkdir -p " + dropIn + " && printf '[Service]\\n%s\\n' '"
                + String.join("' '", serviceLines) + "' > " + dropIn + "/test.conf && systemctl daemon-reload");
    }

    private void restoreService() {
        host.shell("rm -rf /run/systemd/system/" + SERVICE + ".d && systemctl daemon-reload; systemctl stop " + SERVICE
                + "; systemctl reset-failed " + SERVICE);
    }

    private String servicePid() {
        return host.shell("systemctl show -P MainPID " + SERVICE).stdout().trim();
    }

    @Test
    void oneResidentServiceAnswersPrepareAndCleanupOfEveryJob() {
        // job variables travel as busctl arguments: ones that look like busctl's options stay data
        SimulatedJob first = newJob().variable("OPTION_LIKE", "--address=unix:path=/nonexistent").variable("SHORT", "-q");
        JobRun run = first.run(Map.of("build_script", "echo \"$OPTION_LIKE $SHORT\""));
        assertFalse(run.failed(), run.toString());
        assertEquals("--address=unix:path=/nonexistent -q", run.stage("build_script").stdout(), run.toString());
        assertFalse(run.toString().contains("did not take"), run.toString());
        String pid = servicePid();
        assertFalse(pid.isEmpty() || pid.equals("0"), "service not running: " + pid);
        SimulatedJob second = newJob();
        assertFalse(second.run(Map.of("build_script", "true")).failed());
        assertEquals(pid, servicePid(), "another service process answered the second job");
        String journal = journal();
        for (SimulatedJob job : List.of(first, second)) {
            assertTrue(journal.contains("prepare exited 0") && journal.contains("started machine " + job.machine() + " "),
                    "the service's log does not show " + job.machine() + "'s prepare:\n" + journal);
            assertTrue(journal.contains("removed machine " + job.machine() + " "), journal);
        }
    }

    private JsonNode jobsJson() {
        return parse(host.adminCli("jobs", "--json"));
    }

    private static JsonNode parse(ExecResult listed) {
        assertEquals(0, listed.exitCode(), listed.toString());
        try {
            return new ObjectMapper().readTree(listed.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(listed.toString(), e);
        }
    }

    private static Optional<JsonNode> listed(JsonNode jobs, SimulatedJob job) {
        for (JsonNode listed : jobs) {
            if (listed.path("job").asLong() == job.id()) {
                return Optional.of(listed);
            }
        }
        return Optional.empty();
    }

    @Test
    void jobsListsARunningJobWithWhatItsCgroupUsesAndJobsShellRunsCommandsInItsContainer() {
        SimulatedJob job = newJob();
        ExecResult prepare = job.prepare();
        assertEquals(0, prepare.exitCode(), prepare.toString());
        try {
            JsonNode before = listed(jobsJson(), job).orElseThrow(() -> new AssertionError("not listed: " + job.machine()));
            assertEquals(job.machine(), before.path("machine").asText(), before.toString());
            assertEquals(77, before.path("project").asLong(), before.toString());
            assertEquals("active", before.path("state").asText(), before.toString());
            assertEquals(TestHostExtension.DEFAULT_CHROOT, before.path("chroot").asText(), before.toString());
            assertEquals("default", before.path("profile").asText(), before.toString());
            assertTrue(before.path("age_seconds").isNumber(), before.toString());
            // CPU time as systemd reads it from the cgroup: this test host's split v1 cpu and cpuacct
            // hierarchies give systemd none (it says "[not set]"); cgroup v2 hosts always have it
            String systemdCpu = host.shell("systemctl show -P CPUUsageNSec " + job.machine() + ".service").stdout().trim();
            assertTrue(systemdCpu.equals("[not set]") ? before.path("cpu_nanoseconds").isNull()
                    : before.path("cpu_nanoseconds").asLong() > 0, systemdCpu + " " + before);
            long memoryBefore = before.path("memory_bytes").asLong();

            // 64 MiB in the container's tmpfs is charged to the job's cgroup: the listing must see it
            ExecResult fill = host.adminCli("jobs", "shell", String.valueOf(job.id()), "--",
                    "sh", "-c", "head -c 64M /dev/zero > /dev/shm/fill && echo filled in $(hostname)");
            assertEquals(0, fill.exitCode(), fill.toString());
            assertEquals("filled in " + job.machine(), fill.stdout().trim(), fill.toString());
            long memoryAfter = listed(jobsJson(), job).orElseThrow().path("memory_bytes").asLong();
            assertTrue(memoryAfter - memoryBefore >= 60L << 20, "memory " + memoryBefore + " -> " + memoryAfter);

            // the same container as the job's: its next stage sees the file
            ExecResult stage = job.runStage("build_script", "stat -c %s /dev/shm/fill");
            assertEquals(0, stage.exitCode(), stage.toString());
            assertEquals(String.valueOf(64L << 20), stage.stdout().trim(), stage.toString());
            ExecResult status = host.adminCli("jobs", "shell", String.valueOf(job.id()), "--", "sh", "-c", "exit 7");
            assertEquals(7, status.exitCode(), "the command's exit status: " + status);

            // interactive: a terminal of its own in the container
            ExecResult pty = host.shell("script -qec '" + host.cli() + " jobs shell " + job.id()
                    + " -- sh -c \"test -t 0 && test -t 1 && echo a terminal\"' /dev/null");
            // (script echoes its stdin's end, /dev/null's, to the terminal first)
            assertTrue(pty.exitCode() == 0 && pty.stdout().trim().endsWith("a terminal"), pty.toString());

            ExecResult chroots = host.adminCli("chroot", "list", "--json");
            JsonNode chroot = parse(chroots).findParents("name").stream()
                    .filter(node -> node.path("name").asText().equals(TestHostExtension.DEFAULT_CHROOT)).findFirst()
                    .orElseThrow(() -> new AssertionError(chroots.toString()));
            assertTrue(chroot.path("jobs").asInt() >= 1 && chroot.path("size_bytes").asLong() > 0
                    && chroot.path("distro").isTextual(), chroot.toString());

            ExecResult table = host.adminCli("jobs");
            assertTrue(table.stdout().lines().anyMatch(line -> line.startsWith(job.id() + " ") && line.contains(job.machine())
                    && line.contains(" active ") && line.matches(".* [0-9.]+M .*")), table.toString());
        } finally {
            ExecResult cleanup = job.cleanup();
            assertEquals(0, cleanup.exitCode(), cleanup.toString());
        }
        assertEquals(Optional.empty(), listed(jobsJson(), job));
        ExecResult gone = host.adminCli("jobs", "shell", String.valueOf(job.id()));
        assertEquals(List.of("nspawn-runner: error: no job " + job.id() + " on this host ('nspawn-runner jobs' lists them)"),
                gone.stderrLines(), gone.toString());
        assertEquals(1, gone.exitCode(), gone.toString());
    }

    /** The service's journal entries for JOB (`journalctl -u nspawn-runner JOB_ID=N`), once they include one of each VERB. */
    private List<JsonNode> journalOf(SimulatedJob job, String... verbs) {
        return Poll.until(Duration.ofSeconds(10), () -> {
            ExecResult entries = host.shell("journalctl -u " + SERVICE + " JOB_ID=" + job.id() + " -o json --no-pager");
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : entries.stdout().lines().toList()) {
                try {
                    nodes.add(new ObjectMapper().readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(entries.toString(), e);
                }
            }
            return nodes;
        }, nodes -> Arrays.stream(verbs).allMatch(verb -> nodes.stream().anyMatch(node -> verb.equals(node.path("VERB").asText()))));
    }

    @Test
    void theServiceJournalsEveryCallWithTheJobsIdMachineVerbAndExitCode() {
        SimulatedJob job = newJob();
        assertFalse(job.run(Map.of("build_script", "true")).failed());
        List<JsonNode> entries = journalOf(job, "config", "prepare", "cleanup");
        assertEquals(List.of("config", "prepare", "cleanup"), entries.stream().map(entry -> entry.path("VERB").asText()).toList(),
                entries.toString());
        for (JsonNode entry : entries) {
            assertEquals(job.machine(), entry.path("MACHINE").asText(), entry.toString());
            assertEquals("0", entry.path("EXIT_CODE").asText(), entry.toString());
            assertEquals("6", entry.path("PRIORITY").asText(), entry.toString());
            assertTrue(entry.path("MESSAGE").asText().contains("machine " + job.machine() + " (job " + job.id() + ")"), entry.toString());
        }

        SimulatedJob refused = newJob().variable("NSPAWN_RUNNER_PROFILE", "no-such-profile");
        ExecResult prepare = refused.prepare();
        assertEquals(1, prepare.exitCode(), prepare.toString());
        JsonNode failed = journalOf(refused, "prepare").get(0);
        assertEquals("1", failed.path("EXIT_CODE").asText(), failed.toString());
        assertEquals("4", failed.path("PRIORITY").asText(), failed.toString());
        assertTrue(failed.path("MESSAGE").asText().contains("no-such-profile"), failed.toString());
    }

    private ExecResult callAsNobody() {
        return host.shell("setpriv --reuid=65534 --regid=65534 --clear-groups busctl --system call " + BUS_NAME
                + " /io/github/nspawnrunner/Executor1 " + BUS_NAME + " Call ss cleanup "
                + host.cli().replace("bin/nspawn-runner", "target/nspawn-runner.jar") + " 2>&1; echo status=$?");
    }

    @Test
    void onlyRootMayCallTheServiceAndTheServiceChecksThatItselfToo() {
        host.shell("systemctl start " + SERVICE);
        ExecResult denied = callAsNobody();
        assertTrue(denied.stdout().contains("Access denied") && denied.stdout().contains("status=1"), denied.toString());
        // with a bus policy that lets nobody through (an admin's mistake), the service still refuses
        String policy = "/etc/dbus-1/system.d/zz-nspawn-runner-test.conf";
        String reload = "busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig";
        host.shell("printf '%s\\n' '<busconfig><policy user=\"nobody\"><allow send_destination=\"" + BUS_NAME
                + "\"/></policy></busconfig>' > " + policy + " && " + reload);
        try {
            ExecResult refused = callAsNobody();
            assertTrue(refused.stdout().contains("only root may call the nspawn-runner service, not uid 65534")
                    && refused.stdout().contains("status=1"), refused.toString());
            assertTrue(journal().contains("refused cleanup from uid 65534"), journal());
        } finally {
            host.shell("rm -f " + policy + " && " + reload);
        }
    }

    @Test
    void whenTheServiceCannotStartTheLauncherSaysWhyAtOnceAndRunsTheCallInAJvmOfItsOwn() {
        overrideService("ExecStart=", "ExecStart=/bin/false");
        try {
            SimulatedJob job = newJob();
            ExecResult prepare = job.prepare();
            assertEquals(0, prepare.exitCode(), prepare.toString());
            assertTrue(prepare.stderr().contains("the executor service did not take 'prepare' (it did not start: Job for "
                    + SERVICE + " failed") && prepare.stderr().contains("running it in a JVM of its own"), prepare.toString());
            // a D-Bus-activated service would have kept the caller waiting for dbus-daemon's 25 s timeout
            assertTrue(prepare.duration().toSeconds() < 15, "prepare waited " + prepare.duration());
            ExecResult stage = job.runStage("build_script", "hostname");
            assertEquals(job.machine(), stage.stdout().trim(), stage.toString());
            assertEquals(0, job.cleanup().exitCode());
        } finally {
            restoreService();
        }
    }

    @Test
    void anIdleServiceExitsAndTheNextCallStartsItAgain() {
        overrideService("ExecStart=", "ExecStart=" + host.cli() + " service run --idle-exit=1");
        try {
            JobRun first = newJob().run(Map.of("build_script", "true"));
            assertFalse(first.failed(), first.toString());
            ExecResult stopped = host.shell("for i in $(seq 100); do systemctl is-active -q " + SERVICE
                    + " || { echo stopped; exit 0; }; sleep 0.1; done; echo still running");
            assertEquals("stopped", stopped.stdout().trim(), "no idle exit: " + journal());
            JobRun second = newJob().run(Map.of("build_script", "true"));
            assertFalse(second.failed(), second.toString());
            assertFalse(second.toString().contains("did not take"), second.toString());
            assertEquals("active", host.shell("systemctl is-active " + SERVICE).stdout().trim());
        } finally {
            restoreService();
        }
    }

    @Test
    void stoppingTheServiceDuringAPrepareFinishesThatPrepareFirst() throws Exception {
        SimulatedJob job = newJob();
        assertEquals(0, job.config().exitCode(), "config did not start the service");
        RunnerProcess prepare = job.startPrepare();
        java.nio.file.Path jobDir = host.stateDirOutside().resolve("jobs").resolve(job.machine());
        Poll.until(java.time.Duration.ofSeconds(2), () -> java.nio.file.Files.exists(jobDir), exists -> exists);
        try {
            assertTrue(java.nio.file.Files.exists(jobDir), "prepare never started");
            ExecResult stop = host.shell("systemctl stop " + SERVICE + "; systemctl is-active " + SERVICE);
            assertEquals("inactive", stop.stdout().trim(), stop.toString());
            ExecResult prepared = prepare.await(java.time.Duration.ofSeconds(60));
            assertEquals(0, prepared.exitCode(), prepared.toString());
            assertFalse(prepared.stderr().contains("did not take"), prepared.toString());
            assertFalse(journal().contains("removing what an earlier attempt left of machine " + job.machine()),
                    "the prepare was cut off and done again: " + journal());
            assertEquals(job.machine(), job.runStage("build_script", "hostname").stdout().trim());
        } finally {
            prepare.await(java.time.Duration.ofSeconds(60));
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    /** VERB fails within 2 s with exit 2 and exactly one line, which contains EXPECTED. */
    private static void assertFailsFastInOneLine(ExecResult result, String expected) {
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(1, result.stderrLines().size(), result.toString());
        assertTrue(result.stderr().contains(expected), result.toString());
        assertTrue(result.duration().toMillis() < 2000, "took " + result.duration().toMillis() + " ms: " + result);
    }

    @Test
    void aSystemBusAddressWithoutABusFailsPrepareAndCleanupAtOnceInOneLine() {
        // a socket file whose listener is gone: systemd leaves it behind when its socket unit stops
        String deadSocket = "/run/nsr-dead-bus.sock";
        host.shell("systemd-run -q --unit=nsr-dead-bus --socket-property=ListenStream=" + deadSocket + " true"
                + " && systemctl stop nsr-dead-bus.socket; systemctl reset-failed nsr-dead-bus.service 2>/dev/null; true");
        try {
            assertEquals("socket", host.shell("stat -c %F " + deadSocket).stdout().trim());
            for (String address : List.of("unix:path=/run/nsr-no-such-bus", "unix:path=" + deadSocket)) {
                for (String verb : List.of("prepare", "cleanup")) {
                    SimulatedJob job = newJob().runnerSetting("DBUS_SYSTEM_BUS_ADDRESS", address);
                    ExecResult result = verb.equals("prepare") ? job.prepare() : job.cleanup();
                    assertFailsFastInOneLine(result, "the system bus is not reachable at " + address);
                }
            }
        } finally {
            host.shell("rm -f " + deadSocket);
        }
    }

    @Test
    void aMissingJobResponseFileIsOneLineThatNamesIt() {
        host.shell("systemctl start " + SERVICE);
        SimulatedJob job = newJob().runnerSetting("JOB_RESPONSE_FILE", host.jobsRootInside() + "/gone/response.json");
        for (ExecResult result : List.of(job.prepare(), job.cleanup())) {
            assertEquals(2, result.exitCode(), result.toString());
            assertEquals(List.of("nspawn-runner: error: job response file " + host.jobsRootInside()
                    + "/gone/response.json does not exist"), result.stderrLines(), result.toString());
        }
    }

    /** It stops the test host's dbus, which every other test needs, and starts it again. */
    @Test
    void dbusStoppedAndMaskedFailsPrepareAndCleanupAtOnceAndTheServiceComesBackWithIt() {
        host.shell("systemctl start " + SERVICE);
        String units = "dbus.socket dbus.service";
        host.shell("systemctl mask --runtime " + units + " && systemctl stop " + units);
        try {
            for (String verb : List.of("prepare", "cleanup")) {
                SimulatedJob job = newJob();
                ExecResult result = verb.equals("prepare") ? job.prepare() : job.cleanup();
                assertFailsFastInOneLine(result, "the system bus is not reachable at unix:path=/run/dbus/system_bus_socket");
            }
        } finally {
            host.shell("systemctl unmask --runtime " + units + " && systemctl start " + units);
        }
        // the service's connection died with the bus: it left, and the next job starts a new one
        JobRun run = newJob().run(Map.of("build_script", "true"));
        assertFalse(run.failed(), run.toString());
        assertFalse(run.toString().contains("did not take"), run.toString());
    }
}
