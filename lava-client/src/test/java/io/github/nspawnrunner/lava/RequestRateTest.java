package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many jobs and a tiny poll interval: the per-minute cap, not the job count, sets the load. */
class RequestRateTest extends LavaBenchTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @BeforeEach
    void start() throws IOException {
        bench.environment.put("LAVA_POLL_INTERVAL", "0.01");
        bench.environment.put("LAVA_MAX_REQUESTS_PER_MINUTE", "60");
    }

    /** The most requests in any window [t, t + 1 min). */
    private static int busiestMinute(List<Request> requests) {
        List<Long> times = requests.stream().map(Request::at).sorted().toList();
        int most = 0;
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (times.get(to) - times.get(from) >= MINUTE) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    @Test
    void monitoringFortyJobsStaysUnderTheCap() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            FakeJob job = new FakeJob().lines(6, "job" + i).endsWith("Complete");
            job.queuedPolls = i % 5;
            job.linesPerPoll = 1;
            ids.add(bench.server.add(job));
        }
        bench.file("jobs.json", ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{\"jobids\": [", "]}")));
        long start = bench.ticker.nanos();

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.err());
        List<Request> requests = bench.server.requests();
        assertTrue(requests.size() > 60, "enough requests to matter: " + requests.size());
        assertEquals(60, busiestMinute(requests), "the cap is reached and never exceeded");
        // evenly spaced after the first few: n requests take at least n - BURST seconds
        assertTrue(bench.ticker.elapsedSince(start).toSeconds() >= requests.size() - RequestBudget.BURST);
        // one request reads all forty statuses: the job count does not multiply the status requests
        assertEquals("/api/v0.2/jobs/?id__in=" + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + "&limit=100",
                requests.get(0).target());
        assertEquals(40 * 2, requests.stream().filter(r -> r.kind() != FakeLavaServer.Kind.LIST).count(),
                "a log and a JUnit request per job besides");
    }

    @Test
    void submitWithManySubJobsSharesOneBudget() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
        FakeJob[] group = new FakeJob[12];
        for (int i = 0; i < group.length; i++) {
            group[i] = new FakeJob().lines(10, "node" + i).endsWith("Complete");
            group[i].linesPerPoll = 2;
        }
        bench.server.nextSubmission(group);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.err());
        assertEquals(60, busiestMinute(bench.server.requests()));
    }
}
