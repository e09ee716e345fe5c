package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.testing.Threads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** On virtual time: waiting is what the service does, and nothing here waits on the wall clock. */
class ActivityTest {
    private final VirtualClock clock = new VirtualClock();
    private final Activity activity = new Activity(clock);

    private interface Wait {
        void run() throws InterruptedException;
    }

    /** WAIT on a thread of its own, which is returned through WAITER once it runs. */
    private static CompletableFuture<Void> onItsOwnThread(Wait wait, AtomicReference<Thread> waiter) {
        return CompletableFuture.runAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                wait.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Starts WAIT, and returns once it is blocked (or has ended). */
    private static CompletableFuture<Void> blockedOn(Wait wait) {
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Void> future = onItsOwnThread(wait, waiter);
        assertTrue(Threads.awaitBlocked(waiter::get) || future.isDone(), "the wait neither blocked nor ended");
        return future;
    }

    @Test
    void theServiceStopsOnceIdleForTheWholeIdleTimeCountedFromTheLastCall() throws Exception {
        activity.begin();
        clock.advance(Duration.ofMillis(100));
        activity.end();
        long ended = clock.nanos();
        clock.advance(Duration.ofMillis(50));
        activity.awaitStop(Duration.ofMillis(200));
        assertEquals(Duration.ofMillis(200), clock.since(ended), "stopped after this long without calls");
    }

    @Test
    void theServicesOwnWorkKeepsItUpWhileItRunsButDoesNotPostponeTheIdleExit() throws Exception {
        activity.begin();
        activity.end();
        clock.advance(Duration.ofMillis(250));
        activity.begin();
        CompletableFuture<Void> stop = blockedOn(() -> activity.awaitStop(Duration.ofMillis(200)));
        assertFalse(stop.isDone(), "stopped during its own work");
        long ownWorkEnded = clock.nanos();
        activity.endOwnWork();
        stop.get(10, TimeUnit.SECONDS);
        assertEquals(Duration.ZERO, clock.since(ownWorkEnded), "idle counted from the last call, not from its own work");
    }

    @Test
    void aCallInFlightKeepsTheServiceUpHoweverLongItTakes() throws Exception {
        activity.begin();
        clock.advance(Duration.ofHours(2));
        CompletableFuture<Void> stop = blockedOn(() -> activity.awaitStop(Duration.ofMillis(20)));
        assertFalse(stop.isDone(), "stopped during a call");
        activity.end();
        stop.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRestartRequestStopsItWithoutWaitingForIdle() throws Exception {
        activity.requestRestart();
        long requested = clock.nanos();
        activity.awaitStop(Duration.ofHours(1));
        assertEquals(Duration.ZERO, clock.since(requested));
    }

    @Test
    void drainingWaitsForCallsStillInFlightEvenAfterARestartRequest() throws Exception {
        activity.requestRestart();
        activity.begin();
        CompletableFuture<Void> drained = blockedOn(() -> activity.awaitQuiet(Duration.ofMillis(10)));
        assertFalse(drained.isDone(), "drained with a call in flight");
        activity.end();
        drained.get(10, TimeUnit.SECONDS);
    }

    @Test
    void drainingCountsItsQuietTimeFromWhenTheNameWasGivenUp() throws Exception {
        activity.begin();
        activity.end();
        clock.advance(Duration.ofHours(1));
        long nameGivenUp = clock.nanos();
        activity.awaitQuiet(Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(300), clock.since(nameGivenUp), "calls already on their way get this long");
    }

    @Test
    void onceStoppingNoCallBegins() {
        assertTrue(activity.begin());
        activity.end();
        activity.stopAccepting();
        assertFalse(activity.begin());
    }
}
