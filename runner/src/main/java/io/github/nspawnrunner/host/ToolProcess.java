package io.github.nspawnrunner.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs skopeo or umoci with exactly the environment given (no inherited variable: an admin's
 * REGISTRY_AUTH_FILE or DOCKER_CONFIG must not reach a job's pull), stdin /dev/null, stdout
 * returned and stderr passed line by line to a progress consumer. A failure is a
 * {@link HostCommandException} naming WHAT with the tool's last line of complaint. A guard may
 * stop it ({@link ToolStoppedException}): it is asked every {@link #GUARD_PERIOD_MS} ms, so a
 * tool overshoots a limit by at most what it writes in that time.
 */
final class ToolProcess {
    static final long GUARD_PERIOD_MS = 200;

    private ToolProcess() {
    }

    static byte[] run(List<String> argv, Map<String, String> environment, Path directory, String what,
            Consumer<String> progress, boolean stdoutToProgress) {
        return run(argv, environment, directory, what, progress, stdoutToProgress, ProcessGuard.NONE);
    }

    /**
     * Runs ARGV; returns its stdout; stderr lines (and stdout ones when STDOUTTOPROGRESS) go to
     * PROGRESS. GUARD is asked while it runs; the tool is killed at its first breach.
     */
    static byte[] run(List<String> argv, Map<String, String> environment, Path directory, String what,
            Consumer<String> progress, boolean stdoutToProgress, ProcessGuard guard) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(stdoutToProgress);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = HostProcess.start(builder, what);
        List<String> errors = new ArrayList<>();
        AtomicReference<String> breach = new AtomicReference<>();
        Thread watcher = guard == ProcessGuard.NONE ? null : watch(process, guard, breach);
        return HostProcess.await(process, argv, what, () -> {
            Thread stderrReader = null;
            byte[] stdout = new byte[0];
            if (stdoutToProgress) {
                lines(process.getInputStream(), progress, errors);
            } else {
                stderrReader = new Thread(() -> lines(process.getErrorStream(), progress, errors), "tool-stderr");
                stderrReader.start();
                try (InputStream out = process.getInputStream()) {
                    stdout = out.readAllBytes();
                }
            }
            int status = process.waitFor();
            if (stderrReader != null) {
                stderrReader.join();
            }
            if (watcher != null) {
                watcher.interrupt();
                watcher.join();
            }
            if (breach.get() != null) {
                throw new ToolStoppedException(what, breach.get());
            }
            if (status != 0) {
                Optional<String> last;
                synchronized (errors) {
                    last = errors.isEmpty() ? Optional.empty() : Optional.of(plain(errors.get(errors.size() - 1)));
                }
                throw HostProcess.exited(argv, what, status, last);
            }
            return stdout;
        });
    }

    /**
     * A thread that asks GUARD until PROCESS ends, and kills it (and whatever it started) at the
     * first breach, kept in BREACH. A guard that fails is a breach: a pull never goes on unwatched.
     */
    private static Thread watch(Process process, ProcessGuard guard, AtomicReference<String> breach) {
        Thread watcher = new Thread(() -> {
            try {
                while (!process.waitFor(GUARD_PERIOD_MS, TimeUnit.MILLISECONDS)) {
                    Optional<String> reason;
                    try {
                        reason = guard.breach();
                    } catch (RuntimeException | Error e) {
                        reason = Optional.of("its watch failed: " + e);
                    }
                    if (reason.isPresent()) {
                        breach.set(reason.get());
                        // the tool first, so that it starts no more; then what it had started
                        List<ProcessHandle> started = process.descendants().toList();
                        process.destroyForcibly();
                        started.forEach(ProcessHandle::destroyForcibly);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the tool ended and run() is done with us
            }
        }, "tool-guard");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    /** A Go tool's log line (time="..." level=fatal msg="...") as its message alone. */
    static String plain(String line) {
        java.util.regex.Matcher logged = LOGGED.matcher(line);
        return logged.find() ? logged.group(1).replace("\\\"", "\"") : line;
    }

    private static final java.util.regex.Pattern LOGGED = java.util.regex.Pattern.compile("level=\\w+ msg=\"(.*)\"$");

    private static void lines(InputStream stream, Consumer<String> progress, List<String> errors) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String stripped = line.strip();
                if (stripped.isEmpty()) {
                    continue;
                }
                synchronized (errors) {
                    errors.add(stripped);
                    if (errors.size() > 20) {
                        errors.remove(0);
                    }
                }
                progress.accept(stripped);
            }
        } catch (IOException e) {
            // the process ended; its status says what happened
        }
    }
}
