package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.it.ExecResult;
import io.github.nspawnrunner.it.Host;
import io.github.nspawnrunner.it.JobRun;
import io.github.nspawnrunner.it.SimulatedJob;
import io.github.nspawnrunner.it.TestHostExtension;
import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `submit` as a job script calls it: on PATH inside a job container of the executor (the chroot's
 * Java runtime, the jar bind-mounted by prepare), LAVA_URL and LAVA_TOKEN from job variables,
 * against a server on this machine speaking LAVA's protocol.
 */
@ExtendWith(TestHostExtension.class)
class LavaInContainerIT {
    private static final String TOKEN = "in-container-T0KEN-77";

    private final Host host;
    private FakeLavaServer server;

    LavaInContainerIT(Host host) {
        this.host = host;
    }

    @BeforeEach
    void start() throws IOException {
        server = FakeLavaServer.start(TOKEN, Ticker.SYSTEM);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JobRun runJob(long id, String buildScript) {
        SimulatedJob job = new SimulatedJob(host, id, 9)
                .variable("LAVA_URL", host.urlFromInside(server.url()))
                .variable("LAVA_TOKEN", TOKEN)
                .variable("LAVA_POLL_INTERVAL", "1")
                .variable("LAVA_MAX_REQUESTS_PER_MINUTE", "600");
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put("get_sources", "mkdir -p " + SimulatedJob.PROJECT_DIR + " && cd " + SimulatedJob.PROJECT_DIR
                + " && printf 'device_type: qemu\\njob_name: from-ci\\nactions: []\\n' > lava-job.yaml");
        stages.put("build_script", buildScript);
        return job.run(stages);
    }

    @Test
    void submitFollowsTheJobAndLeavesItsFilesForArtifacts() {
        server.nextSubmission(new FakeJob().lines(5, "boot").result("0_smoke", "pwd", "pass", Map.of()).endsWith("Complete"));
        JobRun run = runJob(700_001, "command -v submit monitor-file\nsubmit lava-job.yaml\nls lava-100*");
        ExecResult build = run.stage("build_script");
        assertEquals(0, build.exitCode(), run.toString());
        assertTrue(build.stdout().startsWith("/usr/local/bin/submit\n/usr/local/bin/monitor-file\nsubmitted lava-job.yaml as job 100: "
                + host.urlFromInside(server.url()) + "/scheduler/job/100"), build.toString());
        assertTrue(build.stdout().contains("boot line 4"), build.toString());
        assertTrue(build.stdout().contains("RESULT   0_smoke/pwd: pass"), build.toString());
        assertTrue(build.stdout().endsWith("lava-100-junit.xml\nlava-100.log\nlava-100.yaml"), build.toString());
        assertFalse(build.stdout().contains(TOKEN) || build.stderr().contains(TOKEN), build.toString());
        assertEquals(1, server.definitions().size());
        assertTrue(server.definitions().get(0).contains("job_name: from-ci"), server.definitions().toString());
    }

    @Test
    void anIncompleteLavaJobFailsTheBuild() {
        FakeJob failing = new FakeJob().lines(3, "boot").endsWith("Incomplete");
        failing.failureComment = "bootloader-interrupt timed out after 30 seconds";
        server.nextSubmission(failing);
        JobRun run = runJob(700_002, "submit lava-job.yaml");
        ExecResult build = run.stage("build_script");
        assertEquals(1, build.exitCode(), run.toString());
        assertTrue(build.stderr().contains("bootloader-interrupt timed out after 30 seconds")
                || build.stdout().contains("bootloader-interrupt timed out after 30 seconds"), build.toString());
        assertTrue(run.failed());
    }
}
