package io.github.nspawnrunner.service;

import io.github.nspawnrunner.executor.Log;
import io.github.nspawnrunner.host.Journal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service's own log. Its line per call, in the journal, it carries the fields JOB_ID, MACHINE, VERB and
 * EXIT_CODE, so `journalctl -u nspawn-runner JOB_ID=42` tells one job's story; without a journal
 * (a service run by hand) it is a plain line on stderr.
 */
final class ServiceLog {
    private static final int INFO = 6;
    private static final int WARNING = 4;

    private final Optional<Journal> journal;
    private final Log log;

    ServiceLog(Optional<Journal> journal, Log log) {
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
        if (journal.isEmpty() || !journal.get().send(exitCode == 0 ? INFO : WARNING, "nspawn-runner: " + line, fields)) {
            log.info(line);
        }
    }
}
