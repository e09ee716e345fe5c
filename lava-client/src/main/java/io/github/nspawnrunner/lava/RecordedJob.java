package io.github.nspawnrunner.lava;

import java.util.Optional;

/**
 * What a job {@code submit} follows and one {@code monitor-file} watches share: its log recorded
 * to its files, and its end, the JUnit results LAVA has for it written beside the log and the
 * outcome the verdict reads. They differ only in how they read status and log while it runs.
 */
abstract class RecordedJob implements PolledJob {
    final JobRef job;
    final LavaApi api;
    final JobFiles files;
    final JobLogRecorder log;
    /** The last status read; null until the first (a watched job reads it in its first round). */
    JobStatus status;
    private Optional<String> junit = Optional.empty();
    private boolean done;

    RecordedJob(JobRef job, JobStatus status, LavaApi api, JobFiles files) {
        this.job = job;
        this.status = status;
        this.api = api;
        this.files = files;
        this.log = new JobLogRecorder(files);
    }

    /** For a job that has finished and whose log is all in. */
    final void finish() throws InterruptedException {
        junit = api.junit(job.id());
        junit.ifPresent(files::writeJunit);
        done = true;
    }

    @Override
    public final boolean done() {
        return done;
    }

    @Override
    public final JobOutcome outcome() {
        return new JobOutcome(job, status, log.jobResult(), junit);
    }

    final JobRef job() {
        return job;
    }
}
