package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.executor.JobResponse;
import io.github.nspawnrunner.executor.JobResponseReader;

/** Everything a stage knows about its job, derived the same way by every stage's process. */
public record JobContext(
        ExecutorEnvironment environment,
        RunnerConfig config,
        JobResponse job,
        MachineName machine,
        JobPaths paths) {

    public static JobContext resolve(ExecutorEnvironment environment, RunnerConfig config) {
        JobResponse job = new JobResponseReader().read(environment.requireJobResponseFile());
        MachineName machine = MachineName.of(config.machinePrefix(), job);
        return new JobContext(environment, config, job, machine, JobPaths.of(config.jobsDir(), machine));
    }

    /** How messages name this job: "machine nsr-42 (job 42)". */
    public String describe() {
        return "machine " + machine + " (job " + job.jobId() + ")";
    }
}
