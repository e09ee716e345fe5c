package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.RunStage;
import io.github.nspawnrunner.machine.StageName;
import io.github.nspawnrunner.systemd.MachineShell;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "run_exec: run a stage script in the job's container, streaming its output.")
public final class RunCommand implements Callable<Integer> {
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

    /** The exact form gitlab-runner uses, which needs no option parsing. */
    public static boolean isPlainStageCall(String[] args) {
        return args.length == 3 && "run".equals(args[0]) && !args[1].startsWith("-") && !args[2].startsWith("-");
    }

    public static int runPlain(String script, String stage) {
        return run(Session.create(null, false), Path.of(script), stage);
    }

    private static int run(Session session, Path script, String stage) {
        return session.guard(s -> {
            StageName stageName = StageName.parse(stage);
            JobContext job = JobContext.resolve(s.environment(), s.config());
            return new RunStage(job, new MachineShell(), s.log()).run(script, stageName);
        });
    }
}
