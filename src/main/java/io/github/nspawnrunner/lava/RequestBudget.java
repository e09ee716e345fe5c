package io.github.nspawnrunner.lava;

import java.time.Duration;

/**
 * The cap on requests per minute, shared by every request of a command (all jobs, retries
 * included). Requests are spaced evenly (60 s / cap apart) rather than allowed in bursts: then no
 * 60-second window ever holds more than the cap, and a server sees a steady trickle even when a
 * command watches a hundred jobs. Used from the one polling thread only.
 */
public final class RequestBudget {
    private final Ticker ticker;
    private final long spacingNanos;
    private long nextAllowed;
    private boolean first = true;

    public RequestBudget(Ticker ticker, int maxRequestsPerMinute) {
        if (maxRequestsPerMinute <= 0) {
            throw new IllegalArgumentException("max requests per minute must be positive");
        }
        this.ticker = ticker;
        // rounded up: then any 60 s window [t, t + 60 s) holds at most the cap
        long minute = Duration.ofMinutes(1).toNanos();
        this.spacingNanos = (minute + maxRequestsPerMinute - 1) / maxRequestsPerMinute;
    }

    /** Waits until the next request may go out, and books it. */
    public void acquire() throws InterruptedException {
        long now = ticker.nanos();
        if (!first && now < nextAllowed) {
            ticker.sleep(Duration.ofNanos(nextAllowed - now));
            now = ticker.nanos();
        }
        first = false;
        nextAllowed = now + spacingNanos;
    }
}
