package io.github.nspawnrunner.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a condition instead of for a fixed time: a slow machine waits longer, a fast one not at all. */
public final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    /** PROBE's first value that DONE accepts, or its last one when TIMEOUT passes first (for the assertion's message). */
    public static <T> T until(Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = probe.get();
        }
        return value;
    }
}
