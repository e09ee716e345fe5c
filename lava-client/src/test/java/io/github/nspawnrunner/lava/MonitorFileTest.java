package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Kind;
import io.github.nspawnrunner.lava.FakeLavaServer.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MonitorFileTest extends LavaBenchTest {
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
            if (requests.get(i).kind() == Kind.LIST) {
                lastStatus = i;
            }
        }
        assertTrue(lastStatus > 5, "polled a while: " + requests);
        assertTrue(requests.subList(0, lastStatus).stream()
                .allMatch(r -> r.target().equals("/api/v0.2/jobs/?id__in=100&limit=100")), requests.toString());
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
        // one list request, which leaves the job out: no retry, no request per job
        assertEquals(List.of("/api/v0.2/jobs/?id__in=" + id + ",4242&limit=100"),
                bench.server.requests().stream().map(Request::target).toList());
    }

    @Test
    void tenJobsTakeOneStatusRequestPerRound() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FakeJob job = new FakeJob().lines(3 + 2 * i, "job" + i).endsWith(i == 7 ? "Incomplete" : "Complete");
            job.queuedPolls = i % 4;
            ids.add(bench.server.add(job));
        }
        bench.file("jobs.json", jobsFile(ids));

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(1, run.exit(), run.err());
        List<Request> requests = bench.server.requests();
        List<Request> lists = requests.stream().filter(r -> r.kind() == Kind.LIST).toList();
        assertTrue(requests.stream().noneMatch(r -> r.kind() == Kind.STATUS), requests.toString());
        // one request per round, and the rounds last as long as the slowest job needs status reads
        int rounds = ids.stream().mapToInt(id -> bench.server.job(id).statusPolls).max().orElseThrow();
        assertEquals(rounds, lists.size(), lists.toString());
        assertEquals("/api/v0.2/jobs/?id__in=" + joined(ids) + "&limit=100", lists.get(0).target());
        // each round asks only for the jobs still unfinished, and no sooner than the poll interval (5 s) after the last
        List<Long> unfinished = new ArrayList<>(ids);
        for (int round = 0; round < lists.size(); round++) {
            final int r = round;
            unfinished.removeIf(id -> bench.server.job(id).statusPolls <= r);
            assertEquals("/api/v0.2/jobs/?id__in=" + joined(unfinished) + "&limit=100", lists.get(round).target());
            if (round > 0) {
                assertTrue(lists.get(round).at() - lists.get(round - 1).at() >= 5_000_000_000L, lists.toString());
            }
        }
        for (long id : ids) {
            FakeJob job = bench.server.job(id);
            assertEquals(bench.server.rawLog(job, 0, job.log.size()), bench.read("lava-" + id + ".yaml"));
            assertEquals(job.junit, bench.read("lava-" + id + "-junit.xml"));
            assertTrue(run.out().contains("job " + id + ": Finished, health " + job.health + ", device qemu-01\n"), run.out());
        }
        assertTrue(run.out().contains("1 of 10 jobs did not end Complete"), run.out());
    }

    /** COUNT jobs on the fake server that print LINES lines each and end Complete. */
    private List<Long> completeJobs(int count, int lines) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(bench.server.add(new FakeJob().lines(lines, "job" + i).endsWith("Complete")));
        }
        return ids;
    }

    @Test
    void aPaginatedJobListIsFollowedPageByPageOnTheConfiguredServer() throws IOException {
        bench.server.listPagesOf(3);
        List<Long> ids = completeJobs(10, 4);
        bench.file("jobs.json", jobsFile(ids));

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.err());
        // the fake serves newest first and points "next" to lava.internal: only its query is followed, here
        String idIn = "/api/v0.2/jobs/?id__in=" + joined(ids);
        String nextIdIn = idIn.replace(",", "%2C");
        assertEquals(List.of(idIn + "&limit=100", nextIdIn + "&limit=3&offset=3", nextIdIn + "&limit=3&offset=6",
                        nextIdIn + "&limit=3&offset=9"),
                bench.server.requests().stream().filter(r -> r.kind() == Kind.LIST).limit(4).map(Request::target).toList());
        // Submitted, Running, Finished: three rounds of four pages, and each job read once per round
        assertEquals(12, bench.server.requests().stream().filter(r -> r.kind() == Kind.LIST).count());
        for (long id : ids) {
            assertEquals(3, bench.server.job(id).statusPolls, "job " + id);
            assertEquals(bench.server.job(id).junit, bench.read("lava-" + id + "-junit.xml"));
        }
        assertTrue(run.out().contains("all 10 jobs ended Complete"), run.out());
    }

    @Test
    void moreThanAHundredJobsAreReadInChunksOfAHundred() throws IOException {
        List<Long> ids = completeJobs(150, 1);
        bench.file("jobs.json", jobsFile(ids));

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.err());
        List<String> firstRound = bench.server.requests().stream().filter(r -> r.kind() == Kind.LIST).limit(2)
                .map(Request::target).toList();
        assertEquals(List.of("/api/v0.2/jobs/?id__in=" + joined(ids.subList(0, 100)) + "&limit=100",
                "/api/v0.2/jobs/?id__in=" + joined(ids.subList(100, 150)) + "&limit=100"), firstRound);
    }

    private static String jobsFile(List<Long> ids) {
        return "{\"jobids\": [" + joined(ids) + "]}";
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
