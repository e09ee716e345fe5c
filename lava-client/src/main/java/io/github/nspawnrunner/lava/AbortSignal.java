package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Hands an abort (SIGTERM, SIGINT) from the thread that notices it to the command's own thread,
 * and the command's exit code back. The command thread does the cancelling itself, because it
 * alone knows which jobs it submitted and is the only user of the request budget; the caller of
 * {@link #abort} (a JVM shutdown hook, or a unit test) waits for it and then owns the exit.
 * A command that ends normally at the same moment still reports its code here, so there is
 * exactly one exit code, whoever wins the race.
 */
public final class AbortSignal {
    /** How long the hook waits for a command that has not said how long its abort may take. */
    static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(30);

    private final Object lock = new Object();
    private Thread command;
    private boolean requested;
    private Integer exitCode;
    private Duration patience = DEFAULT_PATIENCE;

    /** The command runs on the calling thread from now on; an abort that came first interrupts it at once. */
    public void attach() {
        synchronized (lock) {
            command = Thread.currentThread();
            if (requested) {
                command.interrupt();
            }
        }
    }

    /** Bounds the wait in {@link #abort}: the command's own cancel-and-wait time plus a margin for its requests. */
    void patience(Duration value) {
        synchronized (lock) {
            patience = value;
        }
    }

    public boolean requested() {
        synchronized (lock) {
            return requested;
        }
    }

    /** The command is over (normally or after its abort), with this exit code. */
    public void finished(int code) {
        synchronized (lock) {
            if (exitCode == null) {
                exitCode = code;
            }
            lock.notifyAll();
        }
    }

    /**
     * Interrupts the command and waits (bounded) until it has finished its abort. Returns its exit
     * code, or empty when it did not finish in time (the caller then exits anyway).
     */
    public OptionalInt abort() throws InterruptedException {
        synchronized (lock) {
            requested = true;
            if (exitCode == null && command != null) {
                command.interrupt();
            }
            long deadline = System.nanoTime() + patience.toNanos();
            while (exitCode == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalInt.empty();
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return OptionalInt.of(exitCode);
        }
    }
}
