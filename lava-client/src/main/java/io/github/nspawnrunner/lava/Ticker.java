package io.github.nspawnrunner.lava;

import java.time.Duration;

/**
 * The client's sense of time. Every wait (poll interval, backoff, rate limit) goes through it, so
 * that tests can run hours of polling in milliseconds with a virtual ticker.
 */
public interface Ticker {
    /** Monotonic time in nanoseconds. */
    long nanos();

    void sleep(Duration duration) throws InterruptedException;

    /** Wall-clock time. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        }
    };
}
