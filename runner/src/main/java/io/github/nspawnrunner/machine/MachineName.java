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
     * An image job's transient slice: its containers' units and its stage units run in it, so
     * that all of the job's processes share one budget of the job's limits (a process left outside
     * a stage, in a container's unit, counts too). systemd nests a slice in the one its name's
     * prefix before the last dash names: nsr-42.slice in nsr.slice.
     */
    public String slice() {
        return value + ".slice";
    }

    /** The cgroup of {@link #slice()}, relative to a hierarchy's root, e.g. nsr.slice/nsr-42.slice. */
    public String sliceCgroup() {
        StringBuilder path = new StringBuilder();
        for (int dash = value.indexOf('-'); dash >= 0; dash = value.indexOf('-', dash + 1)) {
            path.append(value, 0, dash).append(".slice/");
        }
        return path.append(slice()).toString();
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
