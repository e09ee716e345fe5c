package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.machine.EnteredShell;
import io.github.nspawnrunner.machine.HostJobs;
import io.github.nspawnrunner.systemd.MachineShell;
import io.github.nspawnrunner.systemd.SystemBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "shell", description = {"A root shell (or COMMAND) in a running job's container, for debugging.",
        "What you change there, the job sees: its next stage runs in the same container. The exit status is COMMAND's."})
final class JobsShellCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id, as 'nspawn-runner jobs' lists it.")
    long jobId;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Run this instead of a login shell.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        Session session = options.session();
        RootOnly.require("jobs shell", "it enters a job's container");
        HostJobs.Job job;
        Optional<List<String>> entered;
        try (SystemBus bus = session.connectBus().await()) {
            job = JobsCommand.hostJobs(session, bus).find(jobId)
                    .orElseThrow(() -> ExecutorException.system("no job " + jobId + " on this host"
                            + " ('nspawn-runner jobs' lists them)"));
            if (!job.isRunning()) {
                throw ExecutorException.system("the container of job " + jobId + " (machine " + job.machine()
                        + ") is not running: it is " + job.state());
            }
            // an image job's container has no systemd to start the shell: it is entered as its stages enter it
            entered = EnteredShell.systemdRunArguments(session.config().jobsDir(), job.machine(),
                    bus.machines().leaderPid(job.machine().value()), command);
        }
        boolean interactive = System.console() != null;
        return entered.map(arguments -> new MachineShell().runOnHost(arguments, interactive))
                .orElseGet(() -> new MachineShell().run(job.machine().value(), command, interactive));
    }
}
