package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * What a stage needs to know about its job, as prepare decided it. The launcher runs each stage
 * in bash (libexec/run-stage.bash), about nine times per job without a JVM, and reads only this.
 * It lives beside JOB_RESPONSE_FILE: gitlab-runner's per-job temp dir is private to the runner,
 * out of the job's reach, and goes away with the job.
 *
 * @param oomCounter  the kernel's count of OOM kills in the job's cgroup, when there is one
 * @param memoryLimit how a stage ended by the memory limit names it, e.g. "memory_max 2G (...)"
 * @param entered     for a job on an image without systemd: how its stages enter the container
 */
public record StageTarget(MachineName machine, long jobId, Path exchangeDir, Duration stopGrace,
        Optional<Path> oomCounter, String memoryLimit, Optional<EnteredStages> entered) {
    /** bin/nspawn-runner looks for it by this name (LauncherContractTest). */
    public static final String FILE_NAME = "nspawn-runner-stage-target";

    public static StageTarget of(JobContext context, ResourceLimits limits) {
        RunnerConfig config = context.config();
        long most = config.limitsAllowed().get(ResourceLimit.MEMORY_MAX);
        String memoryLimit = ResourceLimit.MEMORY_MAX.key() + " " + ResourceLimit.MEMORY_MAX.format(limits.get(ResourceLimit.MEMORY_MAX))
                + " (a job may ask for up to " + ResourceLimit.MEMORY_MAX.format(most) + " with the job variable "
                + ResourceLimit.MEMORY_MAX.jobVariable() + ")";
        return new StageTarget(context.machine(), context.job().jobId(), context.paths().exchangeDir(),
                config.stopGrace(), OomCounter.fileOf(context.machine().unit()), memoryLimit, Optional.empty());
    }

    /** The same for stages that enter an image job's container (no OOM count: each stage is a unit of its own). */
    StageTarget entering(EnteredStages stages) {
        return new StageTarget(machine, jobId, exchangeDir, stopGrace, Optional.empty(), memoryLimit, Optional.of(stages));
    }

    /** What a stage of job DESCRIBE says when its exchange dir is missing; libexec/run-stage.bash says it too. */
    public static String notPrepared(String describe, Path exchangeDir) {
        return describe + " is not prepared (no " + exchangeDir + "): prepare failed or cleanup already ran";
    }

    /** The file of this job: beside its JOB_RESPONSE_FILE. */
    public static Path fileOf(JobContext context) {
        return fileFor(context.environment().requireJobResponseFile());
    }

    /** The file for the job whose JOB_RESPONSE_FILE this is. */
    public static Path fileFor(Path jobResponseFile) {
        return jobResponseFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /** key=value lines, the format the launcher reads with bash's own read. */
    public String text() {
        return "machine=" + machine + "\njob=" + jobId + "\nexchange=" + exchangeDir.toAbsolutePath()
                + "\nstop_grace_ms=" + stopGrace.toMillis()
                + "\noom_counter=" + oomCounter.map(Path::toString).orElse("")
                + "\nmemory_limit=" + memoryLimit + "\n" + entered.map(EnteredStages::text).orElse("");
    }

    /** Written whole or not at all: a stage never reads half a file. */
    void write(Path file) {
        Path partial = file.resolveSibling(FILE_NAME + ".partial");
        try {
            Files.writeString(partial, text(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ExecutorException.system("cannot write the stage target file " + file + " of machine " + machine
                    + " (job " + jobId + "): " + e.getMessage(), e);
        }
    }

    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw ExecutorException.system("cannot remove the stage target file " + file + ": " + e.getMessage(), e);
        }
    }
}
