package io.github.nspawnrunner.executor;

import java.util.OptionalLong;

/**
 * The facts about a job that come from GitLab itself (gitlab-runner's JOB_RESPONSE_FILE), as
 * opposed to job variables, which the job's author can set to anything.
 */
public record JobResponse(long jobId, OptionalLong projectId) {
    public JobResponse {
        if (jobId <= 0) {
            throw new IllegalArgumentException("job id must be positive: " + jobId);
        }
    }
}
