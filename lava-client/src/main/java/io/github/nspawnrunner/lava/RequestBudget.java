package io.github.nspawnrunner.lava;

import java.time.Duration;

/**
 * The cap on requests per minute, shared by every request of a command (all jobs, retries
 * included). No 60-second window ever holds more than the cap. Requests are spaced evenly (60 s /
 * cap apart), so a server sees a steady trickle even when a command watches a hundred jobs, except
 * that up to {@link #BURST} may go at once after a quiet spell: submit's submission, first status
 * and first log page, or a one-job monitor-file, do not wait on each other. Used from the one
 * polling thread only.
 */
public final class RequestBudget {
    static final int BURST = 5;
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final Ticker ticker;
    private final long spacingNanos;
    private final int burst;
    /** When the last (cap) requests went out: a ring whose oldest entry is at {@link #next}. */
    private final long[] sentAt;
    private int next;
    private long sent;
    /** When the next request would go if all went evenly spaced; BURST spacings of credit before it are allowed. */
    private long evenlyAt = Long.MIN_VALUE;

    public RequestBudget(Ticker ticker, int maxRequestsPerMinute) {
        if (maxRequestsPerMinute <= 0) {
            throw new IllegalArgumentException("max requests per minute must be positive");
        }
        this.ticker = ticker;
        this.spacingNanos = (MINUTE + maxRequestsPerMinute - 1) / maxRequestsPerMinute;
        this.burst = Math.min(BURST, maxRequestsPerMinute);
        this.sentAt = new long[maxRequestsPerMinute];
    }

    /** Waits until the next request may go out, and books it. */
    public void acquire() throws InterruptedException {
        long now = ticker.nanos();
        long allowed = sent == 0 ? now : Math.max(now, evenlyAt - (burst - 1) * spacingNanos);
        if (sent >= sentAt.length) {
            // the cap-th most recent request must have left the 60 s window
            allowed = Math.max(allowed, sentAt[next] + MINUTE);
        }
        if (allowed > now) {
            ticker.sleep(Duration.ofNanos(allowed - now));
            now = ticker.nanos();
        }
        evenlyAt = (sent == 0 ? now : Math.max(now, evenlyAt)) + spacingNanos;
        sentAt[next] = now;
        next = (next + 1) % sentAt.length;
        sent++;
    }
}
