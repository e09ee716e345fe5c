package io.github.nspawnrunner.lava;

import java.util.List;
import java.util.Map;

/**
 * The statuses of {@code monitor-file}'s unfinished jobs, read at the start of each round with one
 * job-list request per hundred jobs instead of one request per job: under the request cap a
 * round of 100 jobs then costs one request, not 100, and the budget is left for the logs.
 */
final class RoundStatuses implements PollLoop.RoundStart<WatchedJob> {
    private final LavaApi api;
    private Map<Long, JobStatus> current = Map.of();

    RoundStatuses(LavaApi api) {
        this.api = api;
    }

    @Override
    public void prepare(List<WatchedJob> unfinished) throws InterruptedException {
        current = api.statuses(unfinished.stream().map(job -> job.job().id()).toList());
    }

    /** The job's status this round; asking for a job the round did not read is a bug here, not LAVA's. */
    JobStatus of(long jobId) {
        JobStatus status = current.get(jobId);
        if (status == null) {
            throw new IllegalStateException("no status of job " + jobId + " was read this round");
        }
        return status;
    }
}
