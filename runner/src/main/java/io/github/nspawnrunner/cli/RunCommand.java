package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.StageName;
import io.github.nspawnrunner.machine.StageTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The launcher (bin/nspawn-runner) runs stages itself, in bash, from the stage target file that
 * prepare writes (libexec/run-stage.bash). It hands a stage to the JVM only when that file is
 * missing, and then this says why, naming the job's machine.
 */
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

    /** The same words as the launcher's stage path (libexec/run-stage.bash). */
    private static void checkScript(Path script, JobContext job) {
        if (Files.isRegularFile(script)) {
            return;
        }
        throw ExecutorException.system("stage script " + script + " of " + job.describe()
                + (Files.exists(script) ? " is not a file" : " does not exist"));
    }

    static int run(Session session, Path script, String stage) {
        // a JVM runs a stage only to explain why the launcher's bash path did not
        return session.guard(s -> {
            StageName.parse(stage);
            JobContext job = JobContext.resolve(s.environment(), s.config());
            Path target = StageTarget.fileOf(job);
            checkScript(script, job);
            if (!Files.isDirectory(job.paths().exchangeDir())) {
                throw ExecutorException.system(StageTarget.notPrepared(job.describe(), job.paths().exchangeDir()));
            }
            if (!Files.exists(target)) {
                throw ExecutorException.system(job.describe() + " has no stage target file " + target
                        + ": it was prepared by another nspawn-runner version; run the job again");
            }
            throw ExecutorException.system("stages of " + job.describe()
                    + " run through the launcher bin/nspawn-runner, not through java -jar");
        });
    }
}
