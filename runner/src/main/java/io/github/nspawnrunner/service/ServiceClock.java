package io.github.nspawnrunner.service;

import java.util.concurrent.TimeUnit;

/**
 * The service's sense of time: its idle exit and its drain are counted on it, so that tests run
 * them on virtual time instead of waiting on the wall clock.
 */
interface ServiceClock {
    /** Monotonic time in nanoseconds. */
    long nanos();

    /** Waits on MONITOR, which the caller holds, until it is notified or NANOS have passed. */
    void await(Object monitor, long nanos) throws InterruptedException;

    ServiceClock SYSTEM = new ServiceClock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void await(Object monitor, long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedWait(monitor, Math.max(nanos, 1));
        }
    };
}
