package io.github.nspawnrunner.service;

import java.time.Duration;

/**
 * Calls in flight and when the last one ended: the service exits once idle for a while (the next
 * call starts it again), or at once when its jar was replaced.
 */
final class Activity {
    private final ServiceClock clock;
    private int inFlight;
    private long lastEnded;
    private boolean restartRequested;
    private boolean stopping;

    Activity(ServiceClock clock) {
        this.clock = clock;
        this.lastEnded = clock.nanos();
    }

    /** Counts a call in, unless the service is stopping: then it must not start anything. */
    synchronized boolean begin() {
        if (stopping) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** From now on {@link #begin()} refuses: the process is about to end. */
    synchronized void stopAccepting() {
        stopping = true;
    }

    synchronized void end() {
        inFlight--;
        lastEnded = clock.nanos();
        notifyAll();
    }

    /**
     * Ends work of the service's own (housekeeping), begun with {@link #begin()}: a stop waits for
     * it like for a call, but it is no call, so the idle time still counts from the last call.
     */
    synchronized void endOwnWork() {
        inFlight--;
        notifyAll();
    }

    synchronized void requestRestart() {
        restartRequested = true;
        notifyAll();
    }

    /** Blocks until the service should go: no call for IDLE, or a restart was requested. */
    synchronized void awaitStop(Duration idle) throws InterruptedException {
        awaitIdle(idle, Long.MIN_VALUE, true);
    }

    /**
     * Blocks until no call has been in flight for QUIET, counted from now at the earliest: after
     * the service gave its bus name up, calls already addressed to it may still be on their way.
     */
    synchronized void awaitQuiet(Duration quiet) throws InterruptedException {
        awaitIdle(quiet, clock.nanos(), false);
    }

    /** Blocks until no call is in flight and the last one ended at least QUIET ago. */
    synchronized void awaitCallsEnded(Duration quiet) throws InterruptedException {
        awaitIdle(quiet, Long.MIN_VALUE, false);
    }

    private void awaitIdle(Duration idle, long notBefore, boolean stopOnRestart) throws InterruptedException {
        while (!(stopOnRestart && restartRequested)) {
            if (inFlight > 0) {
                wait();
                continue;
            }
            long since = notBefore == Long.MIN_VALUE ? lastEnded : Math.max(lastEnded, notBefore);
            long leftNanos = since + idle.toNanos() - clock.nanos();
            if (leftNanos <= 0) {
                return;
            }
            clock.await(this, leftNanos);
        }
    }
}
