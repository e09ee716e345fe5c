package io.github.nspawnrunner.service;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.Journal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's own log. Its entry per call, in the journal, carries the fields JOB_ID, MACHINE,
 * VERB and EXIT_CODE, so `journalctl -u nspawn-runner JOB_ID=42` tells one job's story; without a
 * journal (a service run by hand) it is a plain line on stderr. Entries are written by a thread of
 * their own, in order, and the journal is opened for the first of them: loading libsystemd's
 * bindings (jnr-ffi generates them) and writing never delay a call's reply, nor compete with the
 * first call for the CPU.
 */
final class ServiceLog {
    private static final int INFO = 6;
    private static final int WARNING = 4;

    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "service-log");
        thread.setDaemon(true);
        return thread;
    });
    private final Supplier<Optional<Journal>> journal;
    private final Log log;
    /** The journal once the writer's thread has opened it, for its first entry (after the first call's reply); only that thread reads it. */
    private Optional<Journal> opened;

    ServiceLog(Supplier<Optional<Journal>> journal, Log log) {
        this.journal = journal;
        this.log = log;
    }

    void info(String line) {
        log.info(line);
    }

    /** VERB for JOB ended with EXITCODE after MILLIS; MESSAGES are the lines it gave its caller, joined. */
    void callEnded(String verb, Optional<CallJob> job, int exitCode, long millis, String messages) {
        String line = job.map(known -> known.describe() + ": ").orElse("")
                + verb + " exited " + exitCode + " after " + millis + " ms" + (messages.isEmpty() ? "" : ": " + messages);
        Map<String, String> fields = new LinkedHashMap<>();
        job.ifPresent(known -> {
            fields.put("JOB_ID", String.valueOf(known.jobId()));
            fields.put("MACHINE", known.machine());
        });
        fields.put("VERB", verb);
        fields.put("EXIT_CODE", String.valueOf(exitCode));
        writer.execute(() -> {
            Optional<Journal> opened = opened();
            if (opened.isEmpty() || !opened.get().send(exitCode == 0 ? INFO : WARNING, "nspawn-runner: " + line, fields)) {
                log.info(line);
            }
        });
    }

    /** Writes what is queued, waiting at most WAIT; the service calls it before it exits. */
    void flush(Duration wait) throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Optional<Journal> opened() {
        if (opened == null) {
            opened = journal.get();
        }
        return opened;
    }
}
