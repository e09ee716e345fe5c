package io.github.nspawnrunner.lava;

import java.util.List;

/**
 * What happens to the LAVA jobs when a command is interrupted (SIGTERM from a cancelled GitLab
 * job, SIGINT): the seam for issue 7, which adds a policy that cancels the jobs
 * ({@code GET /api/v0.2/jobs/<id>/cancel/}), waits briefly and reports their final state, chosen by
 * {@code LAVA_CANCEL_ON_ABORT}. Today the jobs are left running, as every other LAVA client does.
 */
public interface AbortPolicy {
    /** Called on the polling thread after it was interrupted, with the jobs the command was following. */
    void aborted(List<JobRef> jobs, LavaApi api, LavaConsole console);

    AbortPolicy LEAVE_RUNNING = (jobs, api, console) -> jobs.forEach(job ->
            console.log().info("left LAVA job " + job.describe() + " running"));
}
