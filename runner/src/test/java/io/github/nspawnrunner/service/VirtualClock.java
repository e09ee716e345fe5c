package io.github.nspawnrunner.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time that passes only when a test says so or the service waits for it: an idle exit in no time at all. */
final class VirtualClock implements ServiceClock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** The whole wait passes at once, as if nothing had notified MONITOR meanwhile. */
    @Override
    public void await(Object monitor, long waitNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("wait interrupted");
        }
        nanos.addAndGet(Math.max(waitNanos, 1));
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    Duration since(long start) {
        return Duration.ofNanos(nanos.get() - start);
    }
}
