package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Kind;
import io.github.nspawnrunner.lava.FakeLavaServer.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorFileTest {
    @TempDir
    Path dir;

    LavaTestBench bench;

    @BeforeEach
    void start() throws IOException {
        bench = new LavaTestBench(dir);
    }

    @AfterEach
    void stop() {
        bench.close();
    }

    @Test
    void printsOnlyChangesThenASummaryAndFailsWhenOneJobFailed() throws IOException {
        FakeJob quick = new FakeJob().lines(3, "quick").endsWith("Complete");
        FakeJob slow = new FakeJob().lines(30, "slow").endsWith("Complete");
        slow.queuedPolls = 4;
        FakeJob broken = new FakeJob().lines(6, "broken")
                .result("lava", "job", "fail", Map.of("error_type", "Infrastructure", "error_msg", "power cycle failed"))
                .endsWith("Incomplete");
        broken.failureComment = "power cycle failed";
        broken.device = "rpi4-02";
        long a = bench.server.add(quick);
        long b = bench.server.add(slow);
        long c = bench.server.add(broken);
        bench.file("jobs.json", "{\"jobids\": [" + a + ", \"" + b + "\", " + c + ", " + a + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(1, run.exit(), run.err());
        List<String> changes = run.outLines().stream().filter(line -> line.startsWith("job ")).toList();
        assertEquals(List.of(
                "job 100: Submitted, health Unknown, device -",
                "job 101: Submitted, health Unknown, device -",
                "job 102: Submitted, health Unknown, device -",
                "job 100: Running, health Unknown, device qemu-01",
                "job 102: Running, health Unknown, device rpi4-02",
                "job 100: Finished, health Complete, device qemu-01",
                "job 102: Finished, health Incomplete, device rpi4-02",
                "job 101: Running, health Unknown, device qemu-01",
                "job 101: Finished, health Complete, device qemu-01"), changes);
        int summary = run.outLines().indexOf("JOB  STATE     HEALTH      DEVICE   RESULT");
        assertEquals(List.of(
                "100  Finished  Complete    qemu-01  ok",
                "101  Finished  Complete    qemu-01  ok",
                "102  Finished  Incomplete  rpi4-02  FAILED: Incomplete: power cycle failed (error type: Infrastructure)",
                "1 of 3 jobs did not end Complete",
                "test results:",
                "JOB  SUITE    PASSED  FAILED  SKIPPED",
                "100  0_smoke       1       0        0",
                "101  0_smoke       1       0        0",
                "102  0_smoke       1       0        0",
                "no failing test cases"), run.outLines().subList(summary + 1, run.outLines().size()));
        // no log lines on stdout, but every job's files
        assertTrue(run.outLines().stream().noneMatch(line -> line.contains(" line ")), run.out());
        for (long id : List.of(a, b, c)) {
            FakeJob job = bench.server.job(id);
            assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-" + id + ".yaml"));
            assertEquals(job.log.size(), Files.readAllLines(dir.resolve("lava-" + id + ".log")).size());
            assertEquals(job.junit, bench.read("lava-" + id + "-junit.xml"));
        }
    }

    @Test
    void readsOnlyTheStatusOfARunningJobAndItsLogOnceItFinished() throws IOException {
        FakeJob job = new FakeJob().lines(20, "boot").endsWith("Complete");
        job.linesPerPoll = 2;
        long id = bench.server.add(job);
        bench.file("jobs.json", "{\"jobids\": [\"" + id + "\"]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.err());
        List<Request> requests = bench.server.requests();
        int lastStatus = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).kind() == Kind.STATUS) {
                lastStatus = i;
            }
        }
        assertTrue(lastStatus > 5, "polled a while: " + requests);
        assertTrue(requests.subList(0, lastStatus).stream().allMatch(r -> r.kind() == Kind.STATUS), requests.toString());
        assertEquals("/api/v0.2/jobs/100/logs/?start=0", requests.get(lastStatus + 1).target());
        // that one answer holds the whole log, LAVA's final result line included: nothing more to ask but JUnit
        assertEquals(Kind.JUNIT, requests.get(lastStatus + 2).kind(), requests.toString());
        assertEquals(lastStatus + 3, requests.size(), requests.toString());
        assertTrue(run.out().contains("the job ended Complete\ntest results:\n"), run.out());
    }

    @Test
    void aLogWithoutLavasFinalResultLineIsReadUntilLavaHasNoMore() throws IOException {
        FakeJob job = new FakeJob().lines(12, "cut").endsWith("Incomplete");
        long id = bench.server.add(job);
        bench.file("jobs.json", "{\"jobids\": [" + id + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(1, run.exit(), run.err());
        List<String> logs = bench.server.requests().stream().filter(r -> r.kind() == Kind.LOGS).map(Request::target).toList();
        assertEquals(List.of("/api/v0.2/jobs/100/logs/?start=0", "/api/v0.2/jobs/100/logs/?start=12"), logs);
        assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-" + id + ".yaml"));
    }

    @Test
    void aJobThatDoesNotExistIsAnImmediateError() throws IOException {
        long id = bench.server.add(new FakeJob().lines(100, "x"));
        bench.file("jobs.json", "{\"jobids\": [" + id + ", 4242]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(3, run.exit());
        assertEquals("nspawn-runner: error: job 4242 does not exist on " + bench.server.url()
                + " (or this token's user may not see it)\n", run.err());
        assertEquals(2, bench.server.requests().size(), "no retry of a 404");
    }
}
