package io.github.nspawnrunner.lava;

import java.util.List;
import java.util.Optional;

/**
 * A job {@code monitor-file} watches: its status comes with all others' once per round
 * ({@link RoundStatuses}), and it prints a line only when state, health or device changed. Its
 * log is read once, when it has finished, for the files.
 */
final class WatchedJob implements PolledJob {
    private final JobRef job;
    private final RoundStatuses statuses;
    private final LavaApi api;
    private final JobFiles files;
    private final LavaConsole console;
    private final JobLogRecorder log;
    private JobStatus status;
    private Optional<String> junit = Optional.empty();
    private boolean done;

    WatchedJob(JobRef job, RoundStatuses statuses, LavaApi api, JobFiles files, LavaConsole console) {
        this.job = job;
        this.statuses = statuses;
        this.api = api;
        this.files = files;
        this.console = console;
        this.log = new JobLogRecorder(files);
    }

    @Override
    public void poll() throws InterruptedException {
        JobStatus now = statuses.of(job.id());
        if (status == null || !now.visible().equals(status.visible())) {
            console.print(List.of(StatusLine.of(job, now)));
        }
        status = now;
        if (now.finished()) {
            saveLog();
            junit = api.junit(job.id());
            junit.ifPresent(files::writeJunit);
            done = true;
        }
    }

    /**
     * LAVA serves the rest of the log in one answer; once it holds LAVA's final job result line (the
     * last line lava-run writes) there is nothing more to ask for. Without it, more is asked until
     * LAVA answers that there is nothing (its 404).
     */
    private void saveLog() throws InterruptedException {
        files.start();
        LogPage page = api.logs(job.id(), 0);
        while (!page.isEmpty()) {
            log.record(page);
            if (log.jobResult().isPresent()) {
                return;
            }
            page = api.logs(job.id(), log.nextLine());
        }
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public JobOutcome outcome() {
        return new JobOutcome(job, status, log.jobResult(), junit);
    }

    JobRef job() {
        return job;
    }
}
