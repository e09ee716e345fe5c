package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer;
import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.Ticker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gitlab-runner hands config, prepare and cleanup every job variable, masked secrets included.
 * A local user who reads command lines (or a tool that records them) must never see one, and
 * nothing nspawn-runner leaves on the host may hold one.
 */
@ExtendWith(TestHostExtension.class)
class SecretsIT {
    private static final String SERVICE = "nspawn-runner.service";
    private static final String PLACES = TestHost.STATE_DIR + " /run /tmp /var/log";

    private final Host host;

    SecretsIT(Host host) {
        this.host = host;
    }

    @BeforeAll
    static void installService(Host host) {
        ExecResult install = host.adminCli("service", "install");
        assertEquals(0, install.exitCode(), install.toString());
    }

    @AfterAll
    static void removeService(Host host) {
        ExecResult remove = host.adminCli("service", "remove");
        assertEquals(0, remove.exitCode(), remove.toString());
    }

    private static String newSecret() {
        return "nsr-secret-" + UUID.randomUUID();
    }

    @Test
    void noUserSeesAJobSecretInACommandLineWhilePrepareAndCleanupRunThroughTheService() {
        String secret = newSecret();
        String journalBefore = serviceJournal();
        CommandLineScan scan = CommandLineScan.start(host, secret);
        List<SimulatedJob> jobs = new ArrayList<>();
        for (long id = 810_001; id <= 810_003; id++) {
            SimulatedJob job = new SimulatedJob(host, id, 81).variable("DEPLOY_TOKEN", secret);
            jobs.add(job);
            JobRun run = job.run(Map.of("build_script", "test \"$DEPLOY_TOKEN\" = " + secret));
            assertFalse(run.failed(), run.toString());
            assertFalse(run.toString().contains("did not take"), "not served by the service: " + run);
        }
        int sweeps = scan.stopAndAssertNeverSeen(50);
        String served = serviceJournal().substring(journalBefore.length());
        assertTrue(served.contains("prepare exited 0") && served.contains("cleanup exited 0"), served);
        assertNothingLeftHolds(secret, jobs);
        System.out.println("SecretsIT: " + sweeps + " sweeps of every command line during 3 jobs");
    }

    @Test
    void noUserSeesTheLavaTokenDuringAWholeJobThatSubmitsToLava() throws IOException {
        String token = newSecret();
        try (FakeLavaServer lava = FakeLavaServer.start(token, Ticker.SYSTEM)) {
            lava.nextSubmission(new FakeJob().lines(3, "boot").endsWith("Complete"));
            CommandLineScan scan = CommandLineScan.start(host, token);
            SimulatedJob job = new SimulatedJob(host, 810_010, 81)
                    .variable("LAVA_URL", host.urlFromInside(lava.url()))
                    .variable("LAVA_TOKEN", token)
                    .variable("LAVA_POLL_INTERVAL", "1");
            Map<String, String> stages = new LinkedHashMap<>();
            stages.put("build_script", "printf 'device_type: qemu\\njob_name: secret\\nactions: []\\n' > job.yaml && submit job.yaml");
            JobRun run = job.run(stages);
            assertEquals(0, run.stage("build_script").exitCode(), run.toString());
            assertTrue(run.stage("build_script").stdout().contains("boot line 2"), run.toString());
            scan.stopAndAssertNeverSeen(50);
            assertNothingLeftHolds(token, List.of(job));
        }
    }

    private String serviceJournal() {
        return host.shell("journalctl -u " + SERVICE + " -o cat --no-pager").stdout();
    }

    /** Once gitlab-runner removed its own temp dirs (they hold the job's variables): no file, no journal entry. */
    private void assertNothingLeftHolds(String secret, List<SimulatedJob> jobs) {
        for (SimulatedJob job : jobs) {
            host.shell("rm -rf " + host.jobsRootInside() + "/" + job.tmpDir().getFileName());
        }
        String pattern = CommandLineScan.hidden(secret);
        ExecResult files = host.shell("grep -rlaE -D skip -e '" + pattern + "' " + PLACES + " 2>/dev/null; true");
        assertEquals("", files.stdout().trim(), "files holding the secret: " + files);
        ExecResult journal = host.shell("journalctl -o verbose --no-pager | grep -aE -e '" + pattern + "'; true");
        assertEquals("", journal.stdout().trim(), "journal entries holding the secret: " + journal);
    }
}
