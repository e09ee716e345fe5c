package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Kind;
import io.github.nspawnrunner.lava.FakeLavaServer.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM/SIGINT without signals: the test calls {@link AbortSignal#abort()} the way the CLI's
 * shutdown hook does, from another thread, once LAVA says the job is Running.
 */
class CancelOnAbortTest extends LavaBenchTest {
    @BeforeEach
    void start() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
    }

    /** A job that runs long enough to be aborted, which triggers the abort once it runs; returns the hook's result. */
    private CompletableFuture<OptionalInt> abortWhenRunning(FakeJob job) {
        CompletableFuture<OptionalInt> hook = new CompletableFuture<>();
        job.onRunning = () -> {
            try {
                hook.complete(bench.abort.abort());
            } catch (InterruptedException e) {
                hook.completeExceptionally(e);
            }
        };
        return hook;
    }

    private static FakeJob longJob() {
        FakeJob job = new FakeJob().lines(300, "test").endsWith("Complete");
        job.linesPerPoll = 1;
        return job;
    }

    private List<Request> cancels() {
        return bench.server.requests().stream().filter(r -> r.kind() == Kind.CANCEL).toList();
    }

    @Test
    void submitCancelsItsJobReportsItsEndAndTheHookGetsTheExitCode() throws Exception {
        FakeJob job = longJob();
        CompletableFuture<OptionalInt> hook = abortWhenRunning(job);
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(OptionalInt.of(3), hook.get(10, TimeUnit.SECONDS), "the hook exits with the command's code");
        List<Request> cancels = cancels();
        assertEquals(1, cancels.size(), cancels.toString());
        assertEquals("/api/v0.2/jobs/100/cancel/", cancels.get(0).target());
        assertTrue(cancels.get(0).authorized(), "cancel carries the token");
        assertTrue(run.out().contains("interrupted: cancelling 1 LAVA job\n"), run.out());
        assertTrue(run.out().contains("cancelled LAVA job 100: Finished, health Canceled\n"), run.out());
        assertTrue(run.err().contains("interrupted (SIGTERM or SIGINT)"), run.err());
        // the log so far is on disk for artifacts: (the abort came as the job started, so it may be short)
        assertTrue(Files.exists(dir.resolve("lava-100.yaml")) && Files.exists(dir.resolve("lava-100.log")));
        assertEquals(Files.readAllLines(dir.resolve("lava-100.log")),
                run.outLines().stream().filter(line -> line.contains("test line")).toList());
    }

    @Test
    void everySubJobOfAMultinodeSubmissionIsCancelled() throws Exception {
        FakeJob server = longJob();
        FakeJob client = longJob();
        CompletableFuture<OptionalInt> hook = abortWhenRunning(client);
        bench.server.nextSubmission(server, client);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(OptionalInt.of(3), hook.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("/api/v0.2/jobs/100/cancel/", "/api/v0.2/jobs/101/cancel/"),
                cancels().stream().map(Request::target).toList());
        assertTrue(run.out().contains("cancelled LAVA job 100.0 (id 100): Finished, health Canceled"), run.out());
        assertTrue(run.out().contains("cancelled LAVA job 100.1 (id 101): Finished, health Canceled"), run.out());
    }

    @Test
    void cancelOnAbortFalseLeavesTheJobRunning() throws Exception {
        bench.environment.put("LAVA_CANCEL_ON_ABORT", "false");
        FakeJob job = longJob();
        CompletableFuture<OptionalInt> hook = abortWhenRunning(job);
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(OptionalInt.of(3), hook.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), cancels());
        assertTrue(run.out().contains("interrupted: left LAVA job 100 running"), run.out());
    }

    @Test
    void theFlagWinsOverTheVariable() throws Exception {
        bench.environment.put("LAVA_CANCEL_ON_ABORT", "true");
        bench.options = List.of("--no-cancel-on-abort");
        FakeJob job = longJob();
        abortWhenRunning(job);
        bench.server.nextSubmission(job);

        assertEquals(3, bench.submit("job.yaml").exit());
        assertEquals(List.of(), cancels());
    }

    @Test
    void monitorFileLeavesJobsAloneUnlessAsked() throws Exception {
        FakeJob job = longJob();
        long id = bench.server.add(job);
        CompletableFuture<OptionalInt> hook = abortWhenRunning(job);
        bench.file("jobs.json", "{\"jobids\": [" + id + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(OptionalInt.of(3), hook.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), cancels());
        assertTrue(run.out().contains("left LAVA job " + id + " running"), run.out());
    }

    @Test
    void monitorFileCancelsWhenAsked() throws Exception {
        bench.environment.put("LAVA_CANCEL_ON_ABORT", "yes");
        FakeJob job = longJob();
        long id = bench.server.add(job);
        abortWhenRunning(job);
        bench.file("jobs.json", "{\"jobids\": [" + id + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(1, cancels().size());
        assertTrue(run.out().contains("cancelled LAVA job " + id + ": Finished, health Canceled"), run.out());
    }

    @Test
    void theWaitForAJobThatDoesNotEndIsBounded() throws Exception {
        bench.environment.put("LAVA_CANCEL_WAIT", "7");
        FakeJob job = longJob();
        job.ignoresCancel = true;
        CompletableFuture<OptionalInt> hook = abortWhenRunning(job);
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit(), run.toString());
        assertEquals(OptionalInt.of(3), hook.get(10, TimeUnit.SECONDS));
        assertTrue(run.out().contains("cancelled LAVA job 100: still Canceling, health Unknown after 7 s"), run.out());
        List<Request> after = bench.server.requests().stream()
                .dropWhile(r -> r.kind() != Kind.CANCEL).filter(r -> r.kind() == Kind.STATUS).toList();
        long waited = after.get(after.size() - 1).at() - bench.server.requests().stream()
                .filter(r -> r.kind() == Kind.CANCEL).findFirst().orElseThrow().at();
        assertTrue(waited >= 6_000_000_000L && waited <= 9_000_000_000L, "waited " + waited + " ns (virtual)");
    }

    @Test
    void anAbortAfterTheEndKeepsTheCommandsExitCode() throws Exception {
        LavaTestBench.Run run = bench.submit("job.yaml");
        assertEquals(0, run.exit(), run.toString());
        // the normal System.exit runs the hook too: it must exit with the command's own code
        assertEquals(OptionalInt.of(0), bench.abort.abort());
        assertEquals(List.of(), cancels());
    }

    @Test
    void aBadSwitchIsBadInputAndSendsNothing() {
        bench.environment.put("LAVA_CANCEL_ON_ABORT", "maybe");
        LavaTestBench.Run run = bench.submit("job.yaml");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("LAVA_CANCEL_ON_ABORT must be true or false, not 'maybe'"), run.err());
        assertEquals(List.of(), bench.server.requests());
    }
}
