package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small pieces: id mapping, endpoint, settings, backoff, budget, formatting. */
class LavaValuesTest {
    @Test
    void multinodeIdsMapToTheConsecutiveIdsOfTheirSubJobs() {
        assertEquals(List.of(new JobRef(42, "42.0"), new JobRef(43, "42.1"), new JobRef(44, "42.2")),
                JobIds.fromSubmission(List.of("42.0", "42.1", "42.2")));
        assertEquals(List.of(new JobRef(7, "7")), JobIds.fromSubmission(List.of("7", "7")));
        assertEquals("42.1 (id 43)", JobIds.parse("42.1").describe());
        assertEquals("7", JobIds.parse(" 7 ").describe());
        for (String notAnId : List.of("", "0", "-1", "1.2.3", "x", "1.", ".1", "12345678901234567890")) {
            assertNull(JobIds.parse(notAnId), notAnId);
        }
        assertThrows(LavaServerException.class, () -> JobIds.fromSubmission(List.of("abc")));
    }

    @Test
    void multinodeCheckComparesTheSubmissionEverySubJobCarries() {
        List<JobRef> jobs = JobIds.fromSubmission(List.of("42.0", "42.1"));
        JobStatus leader = status(42, "group A");
        MultinodeGroupCheck.verify(jobs, Map.of(42L, leader, 43L, status(43, "group A")));
        // a server that does not say: nothing to compare
        MultinodeGroupCheck.verify(jobs, Map.of(42L, status(42, ""), 43L, status(43, "")));
        LavaServerException e = assertThrows(LavaServerException.class,
                () -> MultinodeGroupCheck.verify(jobs, Map.of(42L, leader, 43L, status(43, "group B"))));
        assertTrue(e.getMessage().contains("job 43 belongs to another submission"), e.getMessage());
    }

    private static JobStatus status(long id, String multinode) {
        return new JobStatus(id, "Submitted", "Unknown", Optional.empty(), Optional.empty(), multinode);
    }

    @Test
    void endpointKeepsAPathPrefixAndBuildsApiAndWebAddresses() {
        LavaEndpoint endpoint = LavaEndpoint.parse(" https://lava.example.org/lab1/ ");
        assertEquals("https://lava.example.org/lab1/api/v0.2/jobs/5/logs/?start=3", endpoint.api("jobs/5/logs/?start=3").toString());
        assertEquals("https://lava.example.org/lab1/scheduler/job/5", endpoint.jobPage(5));
        assertEquals("http://127.0.0.1:8080", LavaEndpoint.parse("HTTP://127.0.0.1:8080").toString().toLowerCase());
        for (String bad : List.of("file:///etc/passwd", "https://", "https://u:p@lava.example.org", "https://lava?x=1", "http://a b")) {
            assertThrows(LavaInputException.class, () -> LavaEndpoint.parse(bad), bad);
        }
    }

    @Test
    void settingsPreferFlagsThenEnvironmentThenDefaults() {
        Map<String, String> env = Map.of("LAVA_URL", "https://env.example.org", "LAVA_TOKEN", "t",
                "LAVA_POLL_INTERVAL", "2.5", "LAVA_MAX_REQUESTS_PER_MINUTE", "");
        LavaSettings fromEnv = LavaSettings.resolve(env, LavaFlags.none());
        assertEquals("https://env.example.org", fromEnv.endpoint().toString());
        assertEquals(Duration.ofMillis(2500), fromEnv.pollInterval());
        assertEquals(60, fromEnv.maxRequestsPerMinute(), "an empty CI variable counts as unset");
        assertEquals(Duration.ofSeconds(60), fromEnv.retry().maxDelay());
        LavaSettings fromFlags = LavaSettings.resolve(env, LavaFlags.none().withUrl("http://flag.example.org")
                .withPollInterval(Duration.ofSeconds(10)).withMaxRequestsPerMinute(12).withMaxRetryDelay(Duration.ofSeconds(5)));
        assertEquals("http://flag.example.org", fromFlags.endpoint().toString());
        assertEquals(Duration.ofSeconds(10), fromFlags.pollInterval());
        assertEquals(12, fromFlags.maxRequestsPerMinute());
        assertEquals(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 0), fromFlags.retry());
    }

    @Test
    void backoffDoublesUpToItsCapAndRetriesForeverByDefault() {
        RetryPolicy retry = RetryPolicy.unbounded(Duration.ofSeconds(10));
        assertEquals(List.of(1L, 2L, 4L, 8L, 10L, 10L),
                List.of(1, 2, 3, 4, 5, 500).stream().map(n -> retry.delayAfter(n).toSeconds()).toList());
        assertTrue(retry.allowsAnotherAfter(1_000_000));
        RetryPolicy limited = retry.limitedTo(3);
        assertTrue(limited.allowsAnotherAfter(2));
        assertTrue(!limited.allowsAnotherAfter(3));
        assertEquals(Duration.ofMillis(500), RetryPolicy.unbounded(Duration.ofMillis(500)).delayAfter(1));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), LavaHttp.retryAfter("7"));
        assertEquals(Optional.of(Duration.ofMinutes(10)), LavaHttp.retryAfter("86400"), "capped");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(30));
        long seconds = LavaHttp.retryAfter(date).orElseThrow().toSeconds();
        assertTrue(seconds >= 28 && seconds <= 30, date + " → " + seconds);
        assertEquals(Optional.empty(), LavaHttp.retryAfter("soon"));
    }

    @Test
    void budgetSpacesRequestsEvenly() throws InterruptedException {
        VirtualTicker ticker = new VirtualTicker();
        RequestBudget budget = new RequestBudget(ticker, 4);
        long start = ticker.nanos();
        for (int i = 0; i < 5; i++) {
            budget.acquire();
        }
        assertEquals(Duration.ofSeconds(60), ticker.elapsedSince(start), "the 5th request waits for the next minute");
        ticker.sleep(Duration.ofMinutes(5));
        long idle = ticker.nanos();
        budget.acquire();
        assertEquals(Duration.ZERO, ticker.elapsedSince(idle), "no wait after a quiet spell");
    }

    @Test
    void logLinesAreReadableWithResultsAndErrorsMarked() {
        LogPage page = new LogPageParser().parse("""
                - {dt: '2023-01-10T12:00:01.123456', lvl: info, msg: 'start: 0 validate'}
                - {dt: '2023-01-10T12:00:02.000001', lvl: results, msg: {case: pwd, definition: 0_smoke, result: fail, measurement: '1.5', units: s}}
                - {dt: '2023-01-10T12:00:03.5', lvl: exception, msg: boom}
                - {dt: '2023-01-10T12:00:04', lvl: warning, msg: [a, b]}
                - {dt: '2023-01-10T12:00:05.5', lvl: target, msg: 42}
                - {dt: '2023-01-10T12:00:06.5', lvl: results, msg: {case: job, definition: lava, result: fail, error_type: Bug, error_msg: oops}}
                """);
        LogLineFormatter plain = new LogLineFormatter(false);
        assertEquals(List.of(
                "12:00:01 info     start: 0 validate",
                "12:00:02 RESULT   0_smoke/pwd: fail (1.5 s)",
                "12:00:03 ERROR    boom",
                "12:00:04 WARNING  [\"a\",\"b\"]",
                "12:00:05 target   42",
                "12:00:06 RESULT   lava/job: fail [Bug: oops]"), page.lines().stream().map(plain::format).toList());
        assertTrue(page.lines().get(5).isJobResult());
        assertEquals("\u001b[1;31mERROR    boom\u001b[0m", new LogLineFormatter(true).format(page.lines().get(2)).substring(9));
        assertEquals(LogPage.EMPTY, new LogPageParser().parse(""));
        assertThrows(LavaServerException.class, () -> new LogPageParser().parse("{not: a list}"));
    }
}
