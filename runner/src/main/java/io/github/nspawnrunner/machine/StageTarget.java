package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.systemd.MachineShell;
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
 * <p>
 * Every fact a stage uses is a line of it, so that bash rebuilds none (LauncherContractTest):
 * how messages name the job (describe), the exchange dir on the host and in the container
 * (marker_dir, where the stage leaves its exit status), the stop grace, the stage unit's name
 * (unit_prefix, to which bash appends the stage) and the machine whose systemd runs it
 * (unit_machine; none for an image job's, which are the host's), root's environment (setenv),
 * the OOM count and memory limit, and what the stage runs: bash and workdir in a booted machine,
 * or an image job's container to enter ({@link EnteredStages#text()}). machine and job name the
 * job to whoever reads the file.
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

    /** What a stage of job DESCRIBE says when its exchange dir is missing; libexec/run-stage.bash says it too, from describe. */
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
        StringBuilder text = new StringBuilder("machine=" + machine + "\njob=" + jobId + "\nexchange=" + exchangeDir.toAbsolutePath()
                + "\nstop_grace_ms=" + stopGrace.toMillis()
                + "\noom_counter=" + oomCounter.map(Path::toString).orElse("")
                + "\nmemory_limit=" + memoryLimit
                + "\ndescribe=" + JobContext.describe(machine, jobId)
                + "\nunit_prefix=" + (entered.isPresent() ? StageName.hostUnitPrefix(machine) : StageName.MACHINE_UNIT_PREFIX)
                + "\nunit_machine=" + (entered.isPresent() ? "" : machine)
                + "\nmarker_dir=" + JobPaths.CONTAINER_EXCHANGE_DIR + "\n");
        MachineShell.ROOT_ENVIRONMENT.forEach(variable -> text.append("setenv=").append(variable).append('\n'));
        return text.append(entered.map(EnteredStages::text)
                .orElse("workdir=" + MachineShell.ROOT_HOME + "\nbash=" + MachineShell.BASH + "\n")).toString();
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
