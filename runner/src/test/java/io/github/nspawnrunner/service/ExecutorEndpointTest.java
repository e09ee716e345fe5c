package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's checks and its output capture, with a fake handler and caller: the seam is {@link CallHandler}. */
class ExecutorEndpointTest {
    @TempDir
    Path dir;

    private Path jar;
    private String jobA;
    private String jobB;
    private final List<String> handled = new ArrayList<>();
    private final Activity activity = new Activity(ServiceClock.SYSTEM);
    private final ByteArrayOutputStream serviceLog = new ByteArrayOutputStream();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void files() throws IOException {
        jar = Files.writeString(dir.resolve("nspawn-runner.jar"), "classes");
        jobA = Files.writeString(dir.resolve("a-response.json"), "{\"id\": 1}").toString();
        jobB = Files.writeString(dir.resolve("b-response.json"), "{\"id\": 2}").toString();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** The caller of each call, as this test makes it: per thread, like dbus-java's call info. */
    private final ThreadLocal<Caller> caller = new ThreadLocal<>();

    private final ServiceLog log = new ServiceLog(Optional::empty, new Log(new PrintStream(serviceLog, true, StandardCharsets.UTF_8), false));

    private ExecutorEndpoint endpoint(CallHandler handler) {
        return new ExecutorEndpoint(handler, caller::get, ServedJar.of(jar), activity, log);
    }

    private CallReply call(ExecutorEndpoint endpoint, String verb, Map<String, String> environment, String clientJar) {
        return callAs(new Caller(0, environment, environment.containsKey("JOB_RESPONSE_FILE")), endpoint, verb, clientJar);
    }

    private CallReply callAs(Caller who, ExecutorEndpoint endpoint, String verb, String clientJar) {
        caller.set(who);
        try {
            return endpoint.Call(verb, clientJar);
        } finally {
            caller.remove();
        }
    }

    private ExecutorEndpoint recordingEndpoint() {
        return endpoint((verb, environment, out, err) -> {
            handled.add(verb + " " + environment.get("JOB_RESPONSE_FILE"));
            out.println("{\"builds_dir\":\"/builds\"}");
            err.println("nspawn-runner: started machine nsr-7 (job 7) — ✓");
            return 3;
        });
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void rootsCallRunsWithTheCallersEnvironmentAndReturnsWhatItPrintedAndItsExitCode() throws InterruptedException {
        CallReply reply = call(recordingEndpoint(), "prepare", Map.of("JOB_RESPONSE_FILE", jobA), jar.toString());
        assertEquals(List.of("prepare " + jobA), handled);
        assertEquals(3, reply.getExitCode());
        assertEquals("{\"builds_dir\":\"/builds\"}\n", decode(reply.getStdoutBase64()));
        assertEquals("nspawn-runner: started machine nsr-7 (job 7) — ✓\n", decode(reply.getStderrBase64()));
        log.flush(Duration.ofSeconds(5));
        assertTrue(serviceLog.toString(StandardCharsets.UTF_8).contains("prepare exited 3"), serviceLog.toString());
    }

    @Test
    void otherUsersAreRefusedBeforeAnythingRuns() {
        NotServed refusal = assertThrows(NotServed.class,
                () -> callAs(Caller.unprivileged(1000), recordingEndpoint(), "cleanup", jar.toString()));
        assertTrue(refusal.getMessage().contains("only root"), refusal.getMessage());
        assertEquals(List.of(), handled);
    }

    @Test
    void onlyGitlabRunnersThreeCallsAreServed() {
        for (String verb : List.of("run", "setup", "service", "")) {
            assertThrows(NotServed.class, () -> call(recordingEndpoint(), verb, Map.of(), jar.toString()), verb);
        }
        assertEquals(List.of(), handled);
    }

    @Test
    void aLauncherOfAnotherInstallationRunsItsOwnJvm() throws IOException {
        Path other = Files.writeString(dir.resolve("other.jar"), "classes");
        NotServed refusal = assertThrows(NotServed.class, () -> call(recordingEndpoint(), "config", Map.of(), other.toString()));
        assertTrue(refusal.getMessage().contains(other.toString()), refusal.getMessage());
        assertThrows(NotServed.class, () -> call(recordingEndpoint(), "config", Map.of(), ""));
        assertEquals(List.of(), handled);
    }

    @Test
    void theSameJarThroughASymlinkIsServed() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), jar);
        call(recordingEndpoint(), "config", Map.of(), link.toString());
        assertEquals(1, handled.size());
    }

    @Test
    void aReplacedJarIsNotServedAndTheServiceStopsForTheBusToStartANewOne() throws Exception {
        ExecutorEndpoint endpoint = recordingEndpoint();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        NotServed refusal = assertThrows(NotServed.class, () -> call(endpoint, "prepare", Map.of(), jar.toString()));
        assertTrue(refusal.getMessage().contains("changed"), refusal.getMessage());
        assertEquals(List.of(), handled);
        Future<?> stop = threads.submit(() -> {
            activity.awaitStop(Duration.ofHours(1));
            return null;
        });
        stop.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aJobResponseFileTheServiceCannotSeeIsLeftToTheCallersOwnJvm() {
        String invisible = dir.resolve("elsewhere/response.json").toString();
        NotServed refusal = assertThrows(NotServed.class,
                () -> call(recordingEndpoint(), "prepare", Map.of("JOB_RESPONSE_FILE", invisible), jar.toString()));
        assertTrue(refusal.getMessage().contains(invisible), refusal.getMessage());
        assertEquals(List.of(), handled);
    }

    @Test
    void aJobResponseFileThatTheCallerDoesNotSeeEitherIsTheCallsOwnErrorAndTheServiceRunsIt() {
        String missing = dir.resolve("gone/response.json").toString();
        callAs(new Caller(0, Map.of("JOB_RESPONSE_FILE", missing), false), recordingEndpoint(), "prepare", jar.toString());
        assertEquals(List.of("prepare " + missing), handled);
    }

    @Test
    void aStoppingServiceStartsNothingNew() {
        activity.stopAccepting();
        assertThrows(NotServed.class, () -> call(recordingEndpoint(), "prepare", Map.of("JOB_RESPONSE_FILE", jobA), jar.toString()));
        assertEquals(List.of(), handled);
    }

    @Test
    void aJarThatIsGoneCountsAsReplaced() throws IOException {
        ExecutorEndpoint endpoint = recordingEndpoint();
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), jar);
        Files.delete(jar);
        assertThrows(NotServed.class, () -> call(endpoint, "config", Map.of(), link.toString()));
        assertEquals(List.of(), handled);
    }

    @Test
    void callsOfOneJobTakeTurnsWhileOtherJobsRunAlongside() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        List<Integer> overlapSeen = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorEndpoint endpoint = endpoint((verb, environment, out, err) -> {
            overlapSeen.add(inside.incrementAndGet());
            try {
                if (verb.equals("prepare")) {
                    firstInside.countDown();
                    releaseFirst.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
            return 0;
        });
        Map<String, String> envA = Map.of("JOB_RESPONSE_FILE", jobA);
        Future<CallReply> prepareA = threads.submit(() -> call(endpoint, "prepare", envA, jar.toString()));
        assertTrue(firstInside.await(10, TimeUnit.SECONDS));
        // another job's call runs while A's prepare is inside
        call(endpoint, "cleanup", Map.of("JOB_RESPONSE_FILE", jobB), jar.toString());
        assertEquals(List.of(1, 2), overlapSeen);
        // A's cleanup waits for A's prepare
        AtomicReference<Thread> cleanupThread = new AtomicReference<>();
        Future<CallReply> cleanupA = threads.submit(() -> {
            cleanupThread.set(Thread.currentThread());
            return call(endpoint, "cleanup", envA, jar.toString());
        });
        assertTrue(Threads.awaitBlocked(cleanupThread::get), "the cleanup of job A never waited");
        assertFalse(cleanupA.isDone(), "cleanup of job A ran while its prepare was still inside");
        releaseFirst.countDown();
        prepareA.get(10, TimeUnit.SECONDS);
        cleanupA.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 1), overlapSeen);
    }
}
