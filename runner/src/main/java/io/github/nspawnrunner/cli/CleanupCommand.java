package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.CleanupJob;
import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.systemd.SystemBus;
import io.github.nspawnrunner.systemd.SystemBusConnect;
import picocli.CommandLine.Command;

@Command(name = "cleanup", description = "cleanup_exec: remove the job's machine, unit and files; safe to repeat.")
final class CleanupCommand extends GitlabRunnerCommand {
    @Override
    public int applyAsInt(Session session) {
        long start = System.nanoTime();
        SystemBusConnect connect = session.connectBus();
        JobContext job = JobContext.resolve(session.environment(), session.config());
        boolean found;
        try (SystemBus bus = connect.await()) {
            found = new CleanupJob(job, bus.units(), bus.machines(), session.log()).run();
        }
        session.log().info(found
                ? "removed " + job.describe() + " and its files in " + (System.nanoTime() - start) / 1_000_000 + " ms"
                : "nothing left of " + job.describe());
        return 0;
    }
}
