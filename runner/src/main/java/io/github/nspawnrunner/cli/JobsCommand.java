package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.HostJobs;
import io.github.nspawnrunner.systemd.SystemBus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "jobs", description = {"List the jobs on this host: job, project, chroot, profile, age, memory and CPU time.",
        "Memory and CPU time are what systemd reads from the cgroup of each job's container. A job whose state is"
                + " \"gone\" has no container any more; 'jobs gc' removes it."},
        subcommands = {JobsShellCommand.class, JobsGcCommand.class})
final class JobsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ListingOptions listing;

    @Override
    public Integer call() {
        Session session = options.session();
        RootOnly.require("jobs", "the jobs' state is root's");
        List<HostJobs.Job> jobs;
        try (SystemBus bus = session.connectBus().await()) {
            jobs = new HostJobs(session.config().jobsDir(), bus.units(), Clock.systemUTC()).list();
        }
        new JobsTable(jobs, session.config().profiles().all().size() > 1).print(session.out(), listing);
        return 0;
    }
}
