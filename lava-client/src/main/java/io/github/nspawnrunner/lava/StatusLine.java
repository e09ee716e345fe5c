package io.github.nspawnrunner.lava;

/** The one line that reports a job's state: id, state, health, device. */
final class StatusLine {
    private StatusLine() {
    }

    static String of(JobRef job, JobStatus status) {
        return "job " + job.describe() + ": " + status.state() + ", health " + status.health() + ", device "
                + status.device().orElse("-");
    }
}
