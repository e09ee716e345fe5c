package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cancels the jobs of an interrupted command ({@code GET /api/v0.2/jobs/<id>/cancel/}), waits up to
 * WAIT for LAVA to say they are Finished, and prints one line per job with where it ended. The wait
 * is bounded: gitlab-runner kills the job's processes after its grace period, so what matters is
 * that the cancel requests went out first; LAVA finishes a cancelled job by itself.
 */
final class CancelJobs implements AbortPolicy {
    /** Between two status reads while waiting for the jobs to end. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Ticker ticker;
    private final Duration wait;

    CancelJobs(Ticker ticker, Duration wait) {
        this.ticker = ticker;
        this.wait = wait;
    }

    @Override
    public void aborted(List<JobRef> jobs, LavaApi api, LavaConsole console) throws InterruptedException {
        console.print("interrupted: cancelling " + jobs.size() + " LAVA job" + (jobs.size() == 1 ? "" : "s"));
        List<JobRef> cancelled = new ArrayList<>();
        for (JobRef job : jobs) {
            try {
                api.cancel(job.id());
                cancelled.add(job);
            } catch (LavaServerException e) {
                console.print("could not cancel LAVA job " + job.describe() + ": " + e.getMessage());
            }
        }
        Map<JobRef, JobStatus> last = new LinkedHashMap<>();
        long deadline = ticker.nanos() + wait.toNanos();
        while (true) {
            for (JobRef job : cancelled) {
                JobStatus known = last.get(job);
                if (known == null || !known.finished()) {
                    try {
                        last.put(job, api.status(job.id()));
                    } catch (LavaServerException e) {
                        // reported below as "state unknown"; the cancel request went out
                    }
                }
            }
            boolean allEnded = cancelled.stream().allMatch(job -> last.containsKey(job) && last.get(job).finished());
            if (allEnded || ticker.nanos() >= deadline) {
                break;
            }
            ticker.sleep(RECHECK);
        }
        for (JobRef job : cancelled) {
            JobStatus status = last.get(job);
            if (status == null) {
                console.print("cancelled LAVA job " + job.describe() + ": state unknown (the server did not answer)");
            } else if (status.finished()) {
                console.print("cancelled LAVA job " + job.describe() + ": " + status.state() + ", health " + status.health());
            } else {
                console.print("cancelled LAVA job " + job.describe() + ": still " + status.state() + ", health " + status.health()
                        + " after " + wait.toSeconds() + " s (LAVA ends it by itself)");
            }
        }
    }
}
