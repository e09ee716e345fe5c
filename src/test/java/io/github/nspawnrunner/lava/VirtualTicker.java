package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time that passes only when the client sleeps: hours of polling run in milliseconds. */
final class VirtualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        if (!duration.isNegative()) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    Duration elapsedSince(long start) {
        return Duration.ofNanos(nanos.get() - start);
    }
}
