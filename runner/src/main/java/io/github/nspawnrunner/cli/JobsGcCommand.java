package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.BootId;
import io.github.nspawnrunner.machine.OrphanCollector;
import io.github.nspawnrunner.systemd.SystemBus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

// each line whole sentences (the command list shows the first; picocli wraps them at 80 columns)
@Command(name = "gc", description = {"Remove the jobs that a crash, a reboot or a lost cleanup left behind.",
        "Each goes with everything of its own on the host: its machine is gone for good. A job that is alive or"
                + " being prepared is never removed. One line per removed job on stdout.",
        "The executor service does this when it starts (also at boot) and every 10 minutes."})
final class JobsGcCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--dry-run", description = "Only list the jobs that would be removed.")
    boolean dryRun;

    @Override
    public Integer call() {
        Session session = options.session();
        RootOnly.require("jobs gc", "it removes jobs' machines and files");
        OrphanCollector.Result result;
        try (SystemBus bus = session.connectBus().await()) {
            result = new OrphanCollector(session.config(), bus.units(), bus.machines(), session.log(), BootId.current())
                    .collect(dryRun);
        }
        for (OrphanCollector.Orphan orphan : result.orphans()) {
            session.out().println((dryRun ? "would remove " : "removed ") + orphan.describe() + " at " + orphan.jobDir()
                    + ": " + orphan.reason());
        }
        for (OrphanCollector.Unjudged left : result.unjudged()) {
            session.log().info("left " + left.jobDir() + " alone: " + left.reason());
        }
        result.failures().forEach(failure -> session.log().info("error: " + failure));
        return result.failures().isEmpty() ? 0 : Failures.ADMIN_FAILURE;
    }
}
