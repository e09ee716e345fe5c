package io.github.nspawnrunner.lava;

import java.util.List;

/**
 * What happens to the LAVA jobs when a command is interrupted (SIGTERM from a cancelled GitLab
 * job, SIGINT): left running ({@link #LEAVE_RUNNING}, monitor-file's default: it did not submit
 * them) or cancelled ({@link CancelJobs}, submit's default), chosen by {@code LAVA_CANCEL_ON_ABORT}.
 */
public interface AbortPolicy {
    /** Called on the polling thread after it was interrupted, with the jobs the command was following. */
    void aborted(List<JobRef> jobs, LavaApi api, LavaConsole console) throws InterruptedException;

    AbortPolicy LEAVE_RUNNING = (jobs, api, console) -> jobs.forEach(job ->
            console.print("interrupted: left LAVA job " + job.describe() + " running"));
}
