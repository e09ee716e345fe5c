package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.RunStage;
import io.github.nspawnrunner.machine.StageName;
import io.github.nspawnrunner.systemd.MachineShell;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "run_exec: run a stage script in the job's container, streaming its output.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The stage script gitlab-runner wrote.")
    Path script;

    @Parameters(index = "1", paramLabel = "STAGE", description = "The stage name (get_sources, build_script, ...).")
    String stage;

    @Override
    public Integer call() {
        return run(options.session(), script, stage);
    }

    static int run(Session session, Path script, String stage) {
        // an inner class, not a lambda: the per-stage JVM pays for each lambda's first linkage
        return session.guard(new ToIntFunction<>() {
            @Override
            public int applyAsInt(Session s) {
                StageName stageName = StageName.parse(stage);
                JobContext job = JobContext.resolve(s.environment(), s.config());
                return new RunStage(job, new MachineShell(), s.log()).run(script, stageName);
            }
        });
    }
}
