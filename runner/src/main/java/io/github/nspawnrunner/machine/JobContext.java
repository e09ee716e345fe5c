package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.executor.JobResponse;
import io.github.nspawnrunner.executor.JobResponseReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/** Everything a call knows about its job, derived the same way by every call (config, prepare, run, cleanup). */
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

    /**
     * A job known only from what its prepare recorded in JOBDIR: for removing it when gitlab-runner
     * will not (see {@link OrphanCollector}).
     */
    static JobContext recorded(RunnerConfig config, Path jobDir, JobOrigin origin) {
        ExecutorEnvironment environment = ExecutorEnvironment.from(Map.of("JOB_RESPONSE_FILE", origin.jobResponseFile().toString()));
        return new JobContext(environment, config, new JobResponse(origin.jobId(), OptionalLong.empty()), origin.machine(),
                new JobPaths(jobDir));
    }

    /** This job as a job on another config: its profile's (see {@link RunnerConfig#forProfile}). */
    public JobContext withConfig(RunnerConfig other) {
        return new JobContext(environment, other, job, machine, paths);
    }

    /** How messages name this job: "machine nsr-42 (job 42)". */
    public String describe() {
        return describe(machine, job.jobId());
    }

    /** How messages name job JOBID on MACHINE; libexec/run-stage.bash reads it from the stage target file. */
    public static String describe(MachineName machine, long jobId) {
        return "machine " + machine + " (job " + jobId + ")";
    }
}
