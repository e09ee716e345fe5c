package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ActivityTest {
    private final Activity activity = new Activity();

    private CompletableFuture<Void> awaitStop(Duration idle) {
        return CompletableFuture.runAsync(() -> {
            try {
                activity.awaitStop(idle);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theServiceStopsOnceIdleForTheWholeIdleTimeCountedFromTheLastCall() throws Exception {
        activity.begin();
        Thread.sleep(100);
        activity.end();
        long start = System.nanoTime();
        awaitStop(Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 190, "stopped after " + waitedMillis + " ms of a 200 ms idle time");
    }

    @Test
    void theServicesOwnWorkKeepsItUpWhileItRunsButDoesNotPostponeTheIdleExit() throws Exception {
        activity.begin();
        activity.end();
        Thread.sleep(250);
        activity.begin();
        CompletableFuture<Void> stop = awaitStop(Duration.ofMillis(200));
        Thread.sleep(100);
        assertFalse(stop.isDone(), "stopped during its own work");
        long ended = System.nanoTime();
        activity.endOwnWork();
        stop.get(10, TimeUnit.SECONDS);
        long waitedMillis = (System.nanoTime() - ended) / 1_000_000;
        assertTrue(waitedMillis < 150, "idle counted from the end of its own work: " + waitedMillis + " ms");
    }

    @Test
    void aCallInFlightKeepsTheServiceUpHoweverLongItTakes() throws Exception {
        activity.begin();
        CompletableFuture<Void> stop = awaitStop(Duration.ofMillis(20));
        Thread.sleep(300);
        assertFalse(stop.isDone(), "stopped during a call");
        activity.end();
        stop.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRestartRequestStopsItWithoutWaitingForIdle() throws Exception {
        CompletableFuture<Void> stop = awaitStop(Duration.ofHours(1));
        activity.requestRestart();
        stop.get(10, TimeUnit.SECONDS);
    }

    @Test
    void drainingWaitsForCallsStillInFlightEvenAfterARestartRequest() throws Exception {
        activity.requestRestart();
        activity.begin();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try {
                activity.awaitQuiet(Duration.ofMillis(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            drained.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("drained with a call in flight");
        } catch (TimeoutException expected) {
            assertFalse(drained.isDone());
        }
        activity.end();
        drained.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onceStoppingNoCallBegins() {
        assertTrue(activity.begin());
        activity.end();
        activity.stopAccepting();
        assertFalse(activity.begin());
    }
}
