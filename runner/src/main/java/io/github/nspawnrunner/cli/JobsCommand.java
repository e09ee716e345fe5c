package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.HostJobs;
import io.github.nspawnrunner.systemd.SystemBus;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "jobs", description = {"List the jobs on this host: job, project, chroot, profile, age, memory and CPU time.",
        "Memory and CPU time are what systemd reads from the cgroup of each job's container. A job whose state is"
                + " \"gone\" has no container any more; 'jobs gc' removes it."},
        subcommands = {JobsShellCommand.class, JobsGcCommand.class})
final class JobsCommand extends ListingCommand<HostJobs.Job> {
    JobsCommand() {
        super(session -> JobsTable.listing(session.config().profiles().all().size() > 1));
    }

    @Override
    List<HostJobs.Job> rows(Session session) {
        RootOnly.require("jobs", "the jobs' state is root's");
        try (SystemBus bus = session.connectBus().await()) {
            return hostJobs(session, bus).list();
        }
    }

    /** The jobs of this host, as `jobs` and its subcommands find them. */
    static HostJobs hostJobs(Session session, SystemBus bus) {
        return new HostJobs(session.config().jobsDir(), bus.units(), Clock.systemUTC());
    }
}
