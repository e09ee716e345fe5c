package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.host.Journal;
import io.github.nspawnrunner.machine.BootId;
import io.github.nspawnrunner.machine.OrphanCollector;
import io.github.nspawnrunner.service.ExecutorServer;
import io.github.nspawnrunner.systemd.SystemBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = {"Serve config, prepare and cleanup on the system bus until idle.",
        "bin/nspawn-runner starts it as nspawn-runner.service when needed (see 'service install')."})
final class ServiceRunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--idle-exit", paramLabel = "SECONDS", defaultValue = "900",
            description = "Exit after this many seconds without calls (default: ${DEFAULT-VALUE}); the next call starts it again.")
    long idleExitSeconds;

    @Option(names = "--max-calls", paramLabel = "N", defaultValue = "64",
            description = "Calls answered at once (default: ${DEFAULT-VALUE}); more wait their turn.")
    int maxCalls;

    /** Besides its start (at boot too: the unit is enabled) and `jobs gc`: jobs that lost their machine while it ran. */
    static final Duration ORPHAN_COLLECTION_PERIOD = Duration.ofMinutes(10);

    /** With the admin's config as it is now (it may change while the service runs); problems are logged, never fatal. */
    private static void collectOrphans(Session session, SystemBus bus, boolean first) {
        long start = System.nanoTime();
        OrphanCollector.Result result = new OrphanCollector(session.config(), bus.units(), bus.machines(), session.log(),
                BootId.current()).collect(false);
        result.orphans().forEach(orphan -> session.log().info("collected orphaned " + orphan.describe() + " at "
                + orphan.jobDir() + ": " + orphan.reason()));
        result.failures().forEach(failure -> session.log().info("error: " + failure));
        if (first) {
            // what the round costs the service's start (it runs beside the first calls, not before them)
            session.log().info("checked " + result.checked() + " job directories for orphans in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    @Override
    public Integer call() {
        Session session = options.session();
        if (idleExitSeconds < 1 || maxCalls < 1 || maxCalls > 1024) {
            throw ExecutorException.system("--idle-exit must be at least 1 and --max-calls 1 to 1024");
        }
        Path jar = Installation.current().jar().orElseThrow(() -> ExecutorException.system(
                "the service runs from an installed jar: start it with bin/nspawn-runner"));
        try (SystemBus bus = SystemBus.connectForService(maxCalls)) {
            AtomicBoolean first = new AtomicBoolean(true);
            Runnable collectOrphans = () -> collectOrphans(session, bus, first.getAndSet(false));
            new ExecutorServer(bus, session.log(), () -> Journal.ofService(session.environment().variables(), "nspawn-runner"))
                    .serve(new ServiceCalls(bus), jar, Duration.ofSeconds(idleExitSeconds), collectOrphans, ORPHAN_COLLECTION_PERIOD);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
