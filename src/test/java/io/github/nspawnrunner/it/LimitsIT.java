package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_MEMORY_MAX_ALLOWED", "2G")
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
            sleep(3000);
            long start = System.nanoTime();
            ExecResult work = neighbour.runStage("build_script", "seq 1 100 | wc -l");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("100", work.stdout(), work.toString());
            assertTrue(tookMillis < 15_000, "the neighbour's stage took " + tookMillis + " ms");
            ExecResult tasks = host.shell("systemctl show -p TasksCurrent --value " + bomb.machine() + ".service");
            assertTrue(Long.parseLong(tasks.stdout().strip()) <= 256, "tasks of the bomb's container: " + tasks);
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
     * must keep it from the host's disks. The loop device holds a marker the job must not read.
     */
    @Test
    void aJobCanNeitherMakeNorOpenABlockDevice() {
        ExecResult loop = host.shell("f=$(mktemp /var/tmp/blk.XXXXXX) && printf 'disk-marker-%s' $$ > $f"
                + " && truncate -s 1M $f && losetup --find --show $f");
        assertEquals(0, loop.exitCode(), loop.toString());
        String device = loop.stdout().strip();
        String backing = host.shell("losetup --noheadings -O BACK-FILE " + device).stdout().strip();
        String marker = host.shell("head -c 40 " + device + " | tr -d '\\0'").stdout().strip();
        String majorMinor = host.shell("stat -c '%t %T' " + device).stdout().strip();
        try {
            assertTrue(marker.startsWith("disk-marker-"), marker);
            String[] hex = majorMinor.split(" ");
            int major = Integer.parseInt(hex[0], 16);
            int minor = Integer.parseInt(hex[1], 16);
            SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_USER_NAMESPACE", "false");
            assertEquals(0, job.prepare().exitCode());
            try {
                ExecResult made = job.runStage("build_script", "mknod /root/blk b " + major + " " + minor + " && echo made;"
                        + " head -c 40 /root/blk 2>&1 | tr -d '\\0'; head -c 40 " + device + " 2>&1 | tr -d '\\0'; true");
                assertFalse(made.stdout().contains("made"), "mknod of a block device succeeded: " + made);
                assertFalse(made.stdout().contains(marker), "the job read the host's disk: " + made);
            } finally {
                assertEquals(0, job.cleanup().exitCode());
            }
        } finally {
            host.shell("losetup -d " + device + "; rm -f " + backing);
        }
        assertNotEquals("", marker);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
