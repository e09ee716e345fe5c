package io.github.nspawnrunner.testing;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/** Waiting until another thread blocks, instead of giving it a fixed time to get somewhere. */
public final class Threads {
    private static final Set<Thread.State> BLOCKED = EnumSet.of(Thread.State.BLOCKED, Thread.State.WAITING,
            Thread.State.TIMED_WAITING);

    private Threads() {
    }

    /**
     * Waits until the thread that THREAD names (null until that thread runs) blocks on a lock or a
     * condition; false if it did not within ten seconds.
     */
    public static boolean awaitBlocked(Supplier<Thread> thread) {
        Thread.State state = Poll.until(Duration.ofSeconds(10), () -> thread.get() == null ? Thread.State.NEW : thread.get().getState(),
                BLOCKED::contains);
        return BLOCKED.contains(state);
    }
}
