package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.testing.Poll;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Limits and the device policy, enforced: the test host's systemd enforces memory, pids and
 * devices cgroups (TestHost makes them enforceable), so each test shows what a job cannot do,
 * not only which property was set.
 */
@ExtendWith(TestHostExtension.class)
class LimitsIT {
    private final Host host;

    LimitsIT(Host host) {
        this.host = host;
    }

    private SimulatedJob newJob() {
        return new SimulatedJob(host, ExecutorIT.JOB_IDS.incrementAndGet(), 77);
    }

    @AfterEach
    void leavesNothingBehind() {
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void aStageOverTheMemoryLimitFailsAndTheLogNamesTheLimit() {
        SimulatedJob job = newJob().variable("NSPAWN_RUNNER_MEMORY_MAX", "64M");
        ExecResult prepare = job.prepare();
        try {
            assertEquals(0, prepare.exitCode(), prepare.toString());
            assertTrue(prepare.stderr().contains("limits: memory_max 64M"), prepare.toString());
            // tail keeps a line without newline whole: 300 MB in one process
            ExecResult hog = job.runStage("build_script", "set -o pipefail; head -c 300M /dev/zero | tail | wc -c");
            assertEquals(1, hog.exitCode(), hog.toString());
            assertTrue(hog.stderr().contains("stage build_script of machine " + job.machine() + " (job " + job.id()
                    + "): the job's container reached its memory limit, memory_max 64M"), hog.toString());
            assertTrue(hog.stderr().contains("(out of memory)"), hog.toString());
            ExecResult next = job.runStage("after_script", "echo still here");
            assertEquals("still here", next.stdout(), "the container survives its OOM kill: " + next);
            assertFalse(next.stderr().contains("memory limit"), "an earlier stage's OOM kill is not blamed again: " + next);
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void withinTheLimitTheSameWorkSucceeds() {
        SimulatedJob job = newJob().variable("NSPAWN_RUNNER_MEMORY_MAX", "1G");
        assertEquals(0, job.prepare().exitCode());
        try {
            ExecResult fits = job.runStage("build_script", "head -c 300M /dev/zero | tail | wc -c");
            assertEquals(0, fits.exitCode(), fits.toString());
            assertEquals("314572800", fits.stdout());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void aRequestAboveTheAdminsMaximumFailsPrepareAsTheJobsFaultAndCreatesNothing() {
        SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_MEMORY_MAX", "1G")
                .runnerSetting("NSPAWN_RUNNER_MEMORY_MAX_ALLOWED", "2G")
                .variable("NSPAWN_RUNNER_MEMORY_MAX", "3G");
        ExecResult prepare = job.prepare();
        assertEquals(1, prepare.exitCode(), "a build failure (the job's fault, not retried): " + prepare);
        assertEquals("nspawn-runner: error: job variable NSPAWN_RUNNER_MEMORY_MAX=3G asks for more than this runner"
                + " allows: memory_max may be at most 2G (memory_max_allowed)", prepare.stderr().strip(), prepare.toString());
        ExecResult garbage = newJob().variable("NSPAWN_RUNNER_TASKS_MAX", "many").prepare();
        assertEquals(1, garbage.exitCode(), garbage.toString());
        assertTrue(garbage.stderr().contains("NSPAWN_RUNNER_TASKS_MAX=many is not valid: expected a whole number"),
                garbage.toString());
    }

    @Test
    void aForkBombIsContainedWhileAnotherJobRuns() {
        SimulatedJob bomb = newJob().runnerSetting("NSPAWN_RUNNER_TASKS_MAX", "256");
        SimulatedJob neighbour = newJob();
        assertEquals(0, bomb.prepare().exitCode());
        assertEquals(0, neighbour.prepare().exitCode());
        try {
            RunnerProcess bombing = bomb.startStage("build_script",
                    "echo bombing; timeout 20 bash -c 'b() { b | b & }; b' 2>/dev/null; sleep 20");
            bombing.awaitOutput("bombing", Duration.ofSeconds(30));
            long bombTasks = Poll.until(Duration.ofSeconds(30), () -> tasks(bomb), tasks -> tasks >= 192);
            assertTrue(bombTasks >= 192, "the bomb never neared its limit of 256 tasks: " + bombTasks);
            long start = System.nanoTime();
            ExecResult work = neighbour.runStage("build_script", "seq 1 100 | wc -l");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("100", work.stdout(), work.toString());
            assertTrue(tookMillis < 15_000, "the neighbour's stage took " + tookMillis + " ms");
            long tasks = tasks(bomb);
            assertTrue(tasks <= 256, "tasks of the bomb's container: " + tasks);
            assertEquals(0, host.shell("true").exitCode());
            bombing.signalGroup(15);
            bombing.await(Duration.ofSeconds(60));
        } finally {
            assertEquals(0, bomb.cleanup().exitCode());
            assertEquals(0, neighbour.cleanup().exitCode());
        }
    }

    /**
     * Without the user namespace the job's root keeps CAP_MKNOD: the closed device policy alone
     * must keep it from the host's disks. A loop device of this machine holds a marker; the test
     * host (which a device policy does not restrict) reads it through a node of its own, the job
     * must not.
     */
    @Test
    void aJobCanNeitherMakeNorOpenABlockDevice() throws Exception {
        Path backing = Files.createTempFile("nsr-blk", ".img");
        String marker = "disk-marker-" + ProcessHandle.current().pid();
        Files.writeString(backing, marker + "\n");
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
            file.setLength(1 << 20);
        }
        String device = ThisMachine.run("losetup", "--find", "--show", backing.toString());
        try {
            String[] majorMinor = ThisMachine.run("stat", "-c", "%t %T", device).split(" ");
            int major = Integer.parseInt(majorMinor[0], 16);
            int minor = Integer.parseInt(majorMinor[1], 16);
            String node = "/dev/nsr-test-blk-" + minor;
            ExecResult readByHost = host.shell("mknod " + node + " b " + major + " " + minor + " && head -n 1 " + node);
            assertEquals(marker, readByHost.stdout(), "the test host reads the disk: " + readByHost);
            SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_USER_NAMESPACE", "false");
            assertEquals(0, job.prepare().exitCode());
            try {
                ExecResult made = job.runStage("build_script", "mknod /root/blk b " + major + " " + minor
                        + " && echo made; head -n 1 /root/blk; true");
                assertFalse(made.stdout().contains("made"), "mknod of a block device succeeded: " + made);
                assertFalse(made.stdout().contains(marker), "the job read the host's disk: " + made);
                assertTrue(made.stderr().contains("Operation not permitted"), made.toString());
            } finally {
                assertEquals(0, job.cleanup().exitCode());
                host.shell("rm -f " + node);
            }
        } finally {
            ThisMachine.run("losetup", "-d", device);
            Files.delete(backing);
        }
    }


    private long tasks(SimulatedJob job) {
        return Long.parseLong(host.shell("systemctl show -p TasksCurrent --value " + job.machine() + ".service").stdout().strip());
    }
}
