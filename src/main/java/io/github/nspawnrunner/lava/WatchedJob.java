package io.github.nspawnrunner.lava;

import java.util.List;
import java.util.Optional;

/**
 * A job {@code monitor-file} watches: one status request per round and a line only when state,
 * health or device changed. Its log is read once, when it has finished, for the files.
 */
final class WatchedJob implements PolledJob {
    private final JobRef job;
    private final LavaApi api;
    private final JobFiles files;
    private final LavaConsole console;
    private final JobLogRecorder log;
    private JobStatus status;
    private Optional<String> junit = Optional.empty();
    private boolean done;

    WatchedJob(JobRef job, LavaApi api, JobFiles files, LavaConsole console) {
        this.job = job;
        this.api = api;
        this.files = files;
        this.console = console;
        this.log = new JobLogRecorder(files);
    }

    @Override
    public void poll() throws InterruptedException {
        JobStatus now = api.status(job.id());
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

    private void saveLog() throws InterruptedException {
        files.start();
        for (LogPage page = api.logs(job.id(), 0); !page.isEmpty(); page = api.logs(job.id(), log.nextLine())) {
            log.record(page);
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
}
