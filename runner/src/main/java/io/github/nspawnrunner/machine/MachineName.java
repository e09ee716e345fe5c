package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.JobResponse;

/**
 * A job's machine (and host) name: the admin's prefix and the job id GitLab assigned. Job ids
 * are unique per GitLab instance and come from JOB_RESPONSE_FILE, so no job variable can steer a
 * job onto another job's machine; runners of different GitLab instances on one host get
 * different prefixes.
 */
public record MachineName(String value) {
    public static MachineName of(String prefix, JobResponse job) {
        return new MachineName(prefix + "-" + job.jobId());
    }

    /** The transient systemd service that runs the container. */
    public String unit() {
        return value + ".service";
    }

    /**
     * An image job's helper container (the runner's default chroot, for get_sources and the cache
     * and artifact stages): registered as a machine of its own, in a unit of its own.
     */
    public MachineName helper() {
        return new MachineName(value + "-helper");
    }

    @Override
    public String toString() {
        return value;
    }
}
