package io.github.nspawnrunner.lava;

import java.time.Duration;

/**
 * How long to wait before retrying a request that failed transiently: exponential from
 * INITIAL_DELAY, capped at MAX_DELAY. MAX_ATTEMPTS of 0 means "until it works": a job may run for a
 * day and a server may be down for an hour of it, and giving up would lose the job's result.
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);

    public RetryPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("invalid retry policy " + initialDelay + ", " + maxDelay + ", " + maxAttempts);
        }
    }

    public static RetryPolicy unbounded(Duration maxDelay) {
        return new RetryPolicy(DEFAULT_INITIAL_DELAY.compareTo(maxDelay) < 0 ? DEFAULT_INITIAL_DELAY : maxDelay, maxDelay, 0);
    }

    /** The same delays, but giving up after ATTEMPTS: for extras (JUnit results) that must not block the end forever. */
    public RetryPolicy limitedTo(int attempts) {
        return new RetryPolicy(initialDelay, maxDelay, attempts);
    }

    /** The delay after the FAILED-th failed attempt (1-based). */
    public Duration delayAfter(int failed) {
        Duration delay = initialDelay;
        for (int i = 1; i < failed && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Whether another attempt is allowed after FAILED failed ones. */
    public boolean allowsAnotherAfter(int failed) {
        return maxAttempts == 0 || failed < maxAttempts;
    }
}
