package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nspawnrunner.lava.FakeLavaServer.Fault;
import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Kind;
import io.github.nspawnrunner.lava.FakeLavaServer.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubmitTest extends LavaBenchTest {
    @BeforeEach
    void start() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
    }

    /** The messages of a job's log lines in the order the client printed them (prefix and time cut off). */
    private static List<String> printedMessages(LavaTestBench.Run run, String marker) {
        List<String> messages = new ArrayList<>();
        for (String line : run.outLines()) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                messages.add(line.substring(at));
            }
        }
        return messages;
    }

    private static List<String> expected(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(prefix + " line " + i);
        }
        return lines;
    }

    @Test
    void completeJobPrintsEveryLineOnceWritesFilesAndExitsZero() throws IOException {
        FakeJob job = new FakeJob().lines(10, "boot")
                .result("0_smoke", "pwd", "pass", Map.of())
                .entry("error", "a recoverable error")
                .endsWith("Complete");
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("submitted job.yaml as job 100: " + bench.server.url() + "/scheduler/job/100\n"), run.out());
        assertEquals(expected("boot", 10), printedMessages(run, "boot line"));
        assertTrue(run.out().contains("12:00:10 RESULT   0_smoke/pwd: pass\n"), run.out());
        assertTrue(run.out().contains("12:00:11 ERROR    a recoverable error\n"), run.out());
        assertTrue(run.out().contains("RESULT   lava/job: pass"), run.out());
        assertTrue(run.out().contains("job 100: Finished, health Complete, device qemu-01"), run.out());
        assertTrue(run.out().contains("the job ended Complete"), run.out());
        // the definition went out exactly as written, comment included
        assertEquals(List.of(LavaTestBench.definition()), bench.server.definitions());

        // files: the raw log exactly as LAVA stores it, the readable one as printed, the JUnit results
        assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-100.yaml"));
        List<String> readable = Files.readAllLines(dir.resolve("lava-100.log"));
        assertEquals(job.log.size(), readable.size());
        assertEquals(readable, run.outLines().stream().filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d .*")).toList(),
                "the .log file holds the printed log lines");
        assertEquals(job.junit, bench.read("lava-100-junit.xml"));
        // the raw file parses back into the served entries
        JsonNode parsed = LavaYaml.mapper().readTree(bench.read("lava-100.yaml"));
        assertEquals(job.log.size(), parsed.size());
    }

    @Test
    void stopsAskingForLinesOnceLavasFinalResultLineIsIn() {
        FakeJob job = new FakeJob().lines(10, "boot").endsWith("Complete");
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.err());
        List<Request> requests = bench.server.requests();
        List<Kind> kinds = requests.stream().map(Request::kind).toList();
        // the log request that brought lava/job (the last line lava-run writes) is the last one: no 404 asked for
        assertEquals(List.of(Kind.LOGS, Kind.JUNIT), kinds.subList(kinds.size() - 2, kinds.size()), requests.toString());
        assertFalse(requests.get(requests.size() - 2).target().endsWith("?start=" + job.log.size()), requests.toString());
    }

    @Test
    void transientFailuresLoseAndRepeatNoLine() throws IOException {
        FakeJob job = new FakeJob().lines(40, "boot").endsWith("Complete");
        bench.server.nextSubmission(job);
        bench.server.failNext(Kind.SUBMIT, Fault.http(502), Fault.http(503));
        bench.server.failNext(Kind.LOGS, Fault.dropConnection(), Fault.http(502), Fault.tooManyRequests("7"), Fault.http(500), Fault.slow(600));
        bench.server.failNext(Kind.STATUS, Fault.http(503), Fault.dropConnection());
        bench.server.failEvery(Kind.LOGS, 3, Fault.dropConnection());
        bench.server.failNext(Kind.JUNIT, Fault.http(502));
        bench.requestTimeout = Duration.ofMillis(300);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.err());
        assertEquals(expected("boot", 40), printedMessages(run, "boot line"));
        assertEquals(1, run.outLines().stream().filter(line -> line.startsWith("submitted ")).count());
        assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-100.yaml"));
        assertEquals(job.junit, bench.read("lava-100-junit.xml"));
        // one line per retry, saying what failed
        assertTrue(run.err().contains("POST /api/v0.2/jobs/: HTTP 502; retrying in 1 s (attempt 2)"), run.err());
        assertTrue(run.err().contains("GET /api/v0.2/jobs/100/logs/?start=0: request timed out; retrying"), run.err());
        assertTrue(run.err().contains("GET /api/v0.2/jobs/100/: connection broken (fixed content-length"), run.err());
        assertTrue(run.err().contains("HTTP 429; retrying in 7 s"), run.err());
        assertTrue(run.err().contains("GET /api/v0.2/jobs/100/logs/?start=0: HTTP 502"), run.err());
        // Retry-After was honoured: the next logs request came 7 s (virtual) after the 429
        List<Request> logs = bench.server.requests().stream().filter(r -> r.kind() == Kind.LOGS).toList();
        assertTrue(Duration.ofNanos(logs.get(3).at() - logs.get(2).at()).compareTo(Duration.ofSeconds(7)) >= 0);
        // every submission attempt that the server turned away was sent again, and only those
        assertEquals(1, bench.server.definitions().size());
    }

    @Test
    void incompleteJobExitsOneWithLavasReason() throws IOException {
        FakeJob job = new FakeJob().lines(3, "boot")
                .result("lava", "job", "fail", Map.of("error_type", "Test", "error_msg", "lava-test-shell timed out"))
                .endsWith("Incomplete");
        job.failureComment = "lava-test-shell timed out after 300 seconds";
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(1, run.exit());
        assertTrue(run.out().contains("RESULT   lava/job: fail [Test: lava-test-shell timed out]"), run.out());
        String row = run.outLines().stream().filter(line -> line.startsWith("100 ")).findFirst().orElseThrow();
        assertTrue(row.endsWith("FAILED: Incomplete: lava-test-shell timed out after 300 seconds (error type: Test)"), row);
        assertTrue(run.out().contains("1 of 1 job did not end Complete"), run.out());
    }

    @Test
    void jobCancelledBeforeItStartedEndsWithoutALog() {
        FakeJob job = new FakeJob().endsWith("Canceled");
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(1, run.exit());
        assertTrue(run.out().contains("FAILED: Canceled"), run.out());
        long logRequests = bench.server.requests().stream().filter(r -> r.kind() == Kind.LOGS).count();
        assertTrue(logRequests <= 2 + FollowedJob.DRAIN_GRACE, "gives up waiting for a log after a grace: " + logRequests);
    }

    @Test
    void linesThatArriveAfterTheJobFinishedAreStillPrinted() throws IOException {
        FakeJob job = new FakeJob().lines(30, "late").endsWith("Complete");
        job.finishAfterRunningPolls = 2;
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.err());
        assertEquals(expected("late", 30), printedMessages(run, "late line"));
        assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-100.yaml"));
    }

    @Test
    void multinodeFollowsEverySubJobByItsNumericId() throws IOException {
        FakeJob server = new FakeJob().lines(5, "server").endsWith("Complete");
        FakeJob client = new FakeJob().lines(7, "client").endsWith("Complete");
        FakeJob other = new FakeJob().lines(2, "other")
                .result("lava", "job", "fail", Map.of("error_type", "Infrastructure"))
                .endsWith("Incomplete");
        other.failureComment = "device went offline";
        bench.server.nextSubmission(server, client, other);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().contains("as job 100.0 (id 100): " + bench.server.url() + "/scheduler/job/100\n"), run.out());
        assertTrue(run.out().contains("as job 100.1 (id 101): " + bench.server.url() + "/scheduler/job/101\n"), run.out());
        assertTrue(run.out().contains("as job 100.2 (id 102): " + bench.server.url() + "/scheduler/job/102\n"), run.out());
        assertEquals(expected("server", 5), printedMessages(run, "server line"));
        assertEquals(expected("client", 7), printedMessages(run, "client line"));
        assertTrue(run.outLines().stream().filter(line -> line.contains("client line")).allMatch(line -> line.startsWith("[101] ")));
        for (long id = 100; id <= 102; id++) {
            assertEquals(bench.server.rawLog(bench.server.job(id), 0, bench.server.job(id).log.size()), bench.read("lava-" + id + ".yaml"));
        }
        assertTrue(run.out().contains("FAILED: Incomplete: device went offline (error type: Infrastructure)"), run.out());
        assertTrue(run.out().contains("1 of 3 jobs did not end Complete"), run.out());
        // REST URLs take plain numbers: "100.1" never appears in a request
        assertTrue(bench.server.requests().stream().noneMatch(r -> r.target().contains("100.")));
    }

    @Test
    void subJobIdsThatDoNotBelongToTheSubmissionAreRefused() {
        bench.server.interleaveForeignJob();
        bench.server.nextSubmission(new FakeJob().lines(1, "a").endsWith("Complete"), new FakeJob().lines(1, "b").endsWith("Complete"));

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit());
        assertTrue(run.out().contains("as job 100.1 (id 101)"), "the submitted jobs are still named: " + run.out());
        assertTrue(run.err().contains("job 101 belongs to another submission"), run.err());
        assertFalse(Files.exists(dir.resolve("lava-101.yaml")));
    }

    @Test
    void definitionLavaRefusesIsBadInputWithLavasMessage() throws IOException {
        bench.file("bad.yaml", "device_type: qemu\nactions: invalid-for-lava\n");

        LavaTestBench.Run run = bench.submit("bad.yaml");

        assertEquals(2, run.exit());
        assertEquals("nspawn-runner: error: LAVA refused the job definition: Invalid job definition: expected a dictionary for"
                + " 'actions'\n", run.err());
    }

    @Test
    void submissionWhoseAnswerWasLostIsNotSentAgain() {
        bench.server.failNext(Kind.SUBMIT, Fault.dropConnection());

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit());
        assertEquals(1, bench.server.requests().size());
        assertTrue(run.err().contains("LAVA may or may not have created the job"), run.err());
    }
}
