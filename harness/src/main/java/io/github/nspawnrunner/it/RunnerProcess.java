package io.github.nspawnrunner.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** A started executor process: its output as it arrives, and its process group for signals. */
public final class RunnerProcess {
    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private final Process process;
    private final LongSupplier processGroup;
    private final long startNanos = System.nanoTime();
    private final List<ExecResult.Line> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    RunnerProcess(Process process, LongSupplier processGroup) {
        this.process = process;
        this.processGroup = processGroup;
        this.stdoutReader = reader(process.getInputStream(), line -> stdout.add(new ExecResult.Line(line, elapsedMillis())));
        this.stderrReader = reader(process.getErrorStream(), stderr::add);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static Thread reader(InputStream stream, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Lines printed so far on stdout. */
    public List<ExecResult.Line> stdoutSoFar() {
        return List.copyOf(stdout);
    }

    /** Waits until a stdout line contains TEXT; fails the test after the timeout or if the process ends first. */
    public void awaitOutput(String text, Duration timeout) {
        awaitLine(text, timeout, () -> stdout.stream().anyMatch(line -> line.text().contains(text)), "stdout");
    }

    /** Waits until a stderr line (the executor's own messages) contains TEXT; fails as {@link #awaitOutput} does. */
    public void awaitError(String text, Duration timeout) {
        awaitLine(text, timeout, () -> stderr.stream().anyMatch(line -> line.contains(text)), "stderr");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitLine(String text, Duration timeout, BooleanSupplier printed, String stream) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!printed.getAsBoolean()) {
            if (!process.isAlive()) {
                joinReaders();
                if (printed.getAsBoolean()) {
                    return;
                }
                throw new AssertionError("ended without printing '" + text + "' on " + stream + "; stdout: " + stdout + " stderr: " + stderr);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line with '" + text + "' on " + stream + " within " + timeout + "; stdout: " + stdout
                        + " stderr: " + stderr);
            }
            sleep(20);
        }
    }

    private void joinReaders() {
        try {
            stdoutReader.join(5000);
            stderrReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signals the whole process group, as gitlab-runner's cancel and timeout do. */
    public void signalGroup(int signal) {
        long group = processGroup.getAsLong();
        if (POSIX.kill((int) -group, signal) != 0) {
            throw new IllegalStateException("kill(-" + group + ", " + signal + ") failed: errno " + POSIX.errno());
        }
    }

    /** A cancelled run's result, and how long it took from the signal. */
    public record Cancelled(ExecResult result, long tookMillis) {
    }

    /** SIGTERM to the group, as gitlab-runner's cancel sends it, and the run's end (within TIMEOUT). */
    public Cancelled cancel(Duration timeout) {
        long signalled = System.nanoTime();
        signalGroup(15);
        ExecResult result = await(timeout);
        return new Cancelled(result, (System.nanoTime() - signalled) / 1_000_000);
    }

    /**
     * SIGCONT to the process this harness started (nsenter in a test host, not in the group): a
     * launcher that passes job control on stops itself when its child stops, and stays stopped.
     */
    public void continueLauncher() {
        POSIX.kill((int) process.pid(), 18);
    }

    public ExecResult await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after " + timeout + "; stdout: " + stdout + " stderr: " + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        joinReaders();
        return new ExecResult(process.exitValue(), List.copyOf(stdout), List.copyOf(stderr), Duration.ofMillis(elapsedMillis()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
