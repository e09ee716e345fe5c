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
    public void sleep(Duration duration) throws InterruptedException {
        // like Thread.sleep: an interrupted thread stops here, so aborts land on virtual time too
        if (Thread.interrupted()) {
            throw new InterruptedException("sleep interrupted");
        }
        if (!duration.isNegative()) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    Duration elapsedSince(long start) {
        return Duration.ofNanos(nanos.get() - start);
    }
}
