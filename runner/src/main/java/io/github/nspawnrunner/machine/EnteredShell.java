package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `jobs shell` on a job whose container is an image's (no systemd inside to start a shell): the
 * shell enters the container as the job's stages do ({@link EnteredStages}), as a transient unit of
 * the host's systemd under the same properties (the job's limits, device policy, capabilities).
 */
public final class EnteredShell {
    private EnteredShell() {
    }

    /**
     * The host's systemd-run arguments (after "systemd-run") that run COMMAND in the image
     * container of job MACHINE under JOBSDIR, whose init machined says is LEADER; empty when the
     * job is not on an image.
     */
    public static Optional<List<String>> systemdRunArguments(Path jobsDir, MachineName machine, long leader, List<String> command) {
        Path jobDir = JobPaths.of(jobsDir, machine).jobDir();
        Optional<JobOrigin> origin = JobOrigin.readOwn(jobDir);
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        Optional<EnteredStages> stages;
        try {
            stages = Files.exists(origin.get().stageTargetFile()) ? EnteredStages.read(origin.get().stageTargetFile()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw ExecutorException.system("cannot read the stage target file " + origin.get().stageTargetFile() + " of machine "
                    + machine + ": " + e.getMessage(), e);
        }
        if (stages.isEmpty()) {
            return Optional.empty();
        }
        // the same check as a stage's: LEADER is the container's init, not a process that reused its pid
        try {
            if (!Files.isSameFile(Path.of("/proc", Long.toString(leader), "ns", "pid"), stages.get().namespacesDir().resolve("pid"))) {
                throw ExecutorException.system("machine " + machine + " is gone (its init " + leader + " is not in its pid namespace)");
            }
        } catch (IOException e) {
            throw ExecutorException.system("machine " + machine + " is gone: " + e.getMessage(), e);
        }
        List<String> arguments = new ArrayList<>();
        stages.get().properties().forEach(property -> arguments.add("--property=" + property));
        arguments.add("--setenv=SHELL=" + stages.get().bash());
        arguments.add("--");
        arguments.addAll(systemdCommand(stages.get().enterCommand(leader, command)));
        return Optional.of(arguments);
    }

    /** COMMAND as systemd-run hands it on: systemd 252 expands ${VAR} and $$ in it, so every $ goes as $$. */
    static List<String> systemdCommand(List<String> command) {
        return command.stream().map(argument -> argument.replace("$", "$$")).toList();
    }
}
