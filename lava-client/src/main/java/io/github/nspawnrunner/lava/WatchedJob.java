package io.github.nspawnrunner.lava;

import java.util.List;

/**
 * A job {@code monitor-file} watches: its status comes with all others' once per round
 * ({@link RoundStatuses}), and it prints a line only when state, health or device changed. Its
 * log is read once, when it has finished, for the files.
 */
final class WatchedJob extends RecordedJob {
    private final RoundStatuses statuses;
    private final LavaConsole console;

    WatchedJob(JobRef job, RoundStatuses statuses, LavaApi api, JobFiles files, LavaConsole console) {
        super(job, null, api, files);
        this.statuses = statuses;
        this.console = console;
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
            finish();
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
}
