package io.github.nspawnrunner.lava;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of LAVA's REST API (v0.2) the client uses. Transient failures are retried inside;
 * what comes out is either an answer or a {@link LavaServerException} that retrying cannot fix.
 */
public interface LavaApi {
    /** Submits a job definition; returns the ids as LAVA printed them ("42", or "42.0", "42.1" for multinode). */
    List<String> submit(String definition) throws InterruptedException;

    /** The job's state; a job that does not exist (or that the token may not see) is an error. */
    JobStatus status(long jobId) throws InterruptedException;

    /**
     * The state of every job in JOB_IDS, keyed by id in their order, read with as few requests as
     * LAVA allows (one per hundred jobs); a job that does not exist (or that the token may not
     * see) is an error naming it, as for {@link #status}.
     */
    Map<Long, JobStatus> statuses(List<Long> jobIds) throws InterruptedException;

    /** Log lines from line START (0-based) on; empty when there is nothing new yet (LAVA's 404). */
    LogPage logs(long jobId, long start) throws InterruptedException;

    /** The job's results as JUnit XML, when LAVA has any. */
    Optional<String> junit(long jobId) throws InterruptedException;

    /** Asks LAVA to cancel the job ({@code GET /api/v0.2/jobs/<id>/cancel/}); a job already finished stays as it was. */
    void cancel(long jobId) throws InterruptedException;
}
