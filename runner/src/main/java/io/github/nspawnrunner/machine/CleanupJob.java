package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.chroot.ChrootCollector;
import io.github.nspawnrunner.chroot.ChrootLayout;
import io.github.nspawnrunner.chroot.ChrootUsage;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.systemd.MachineControl;
import io.github.nspawnrunner.systemd.SystemdException;
import io.github.nspawnrunner.systemd.UnitControl;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Removes every trace of a job: its machine, its unit (failed or not) and its directory. Safe to
 * run at any point: after a half-done prepare, twice, or when the machine is long gone.
 */
public final class CleanupJob {
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(10);
    /** systemd-nspawn's per-machine dir, which it removes itself unless it was SIGKILLed. */
    private static final Path NSPAWN_PROPAGATE_DIR = Path.of("/run/systemd/nspawn/propagate");

    private final JobContext context;
    private final UnitControl units;
    private final MachineControl machines;
    private final Log log;

    public CleanupJob(JobContext context, UnitControl units, MachineControl machines, Log log) {
        this.context = context;
        this.units = units;
        this.machines = machines;
        this.log = log;
    }

    /**
     * Returns whether there was anything to remove. Waits for the job's lock: a prepare of the
     * job still under way in another process, or the orphan collector on it, finishes first.
     */
    public boolean run() {
        try (JobLock ignored = JobLock.acquire(context.paths().jobDir())) {
            return runLocked();
        }
    }

    /** {@link #run()} for a caller that holds the job's lock (prepare, the orphan collector). */
    boolean runLocked() {
        // first: no stage may start on a machine that is going away
        StageTarget.remove(StageTarget.fileOf(context));
        boolean found = false;
        // an image job's helper container too (a machine and unit of its own), which nothing else would stop
        for (MachineName each : java.util.List.of(context.machine(), context.machine().helper())) {
            found |= removeMachine(each);
        }
        // an image job's slice: stopping it stops whatever is left in it (a stage's unit), then it must be gone
        found |= removeSlice();
        // after the machine: its end of the veth goes with its network namespace
        found |= new JobNetwork(context, log).remove();
        found |= Files.exists(context.paths().jobDir());
        // a prepare that died while the container booted may have left the chroot mounted there
        IdmappedLower.detach(context.paths().lowerDir());
        IdmappedLower.detach(context.paths().helperLowerDir());
        // an image job's namespaces, which its stages entered: after the machine, they hold nothing live
        JobNamespaces.detach(context.paths().namespacesDir());
        JobNamespaces.detach(context.paths().helperNamespacesDir());
        JobDirectory.removeAllButLock(context.paths().jobDir());
        // after the directory's contents: a uid range is reused only once nothing of its job is left
        found |= new UidRangeClaims(context.config().stateDir()).release(context.machine());
        found |= new DeviceClaims(DeviceClaims.DEFAULT_DIR).release(context.machine());
        JobDirectory.remove(NSPAWN_PROPAGATE_DIR.resolve(context.machine().value()));
        JobDirectory.remove(NSPAWN_PROPAGATE_DIR.resolve(context.machine().helper().value()));
        // the lock file last (see JobLock): whoever waited for it finds the job entirely gone
        JobDirectory.remove(context.paths().jobDir());
        collectChrootVersions();
        return found;
    }

    /** Kills MACHINE and waits until its unit and registration are gone; returns whether there was any. */
    private boolean removeMachine(MachineName name) {
        String machine = name.value();
        String unit = name.unit();
        boolean found = false;
        try {
            if (machines.isRegistered(machine)) {
                found = true;
                machines.killLeader(machine);
            }
            if (units.isLoaded(unit)) {
                found = true;
                if (!units.awaitUnloaded(unit, GONE_TIMEOUT)) {
                    units.killAll(unit);
                    if (!units.awaitUnloaded(unit, GONE_TIMEOUT)) {
                        throw ExecutorException.system("unit " + unit + " of " + context.describe()
                                + " is still there after SIGKILL; see 'systemctl status " + unit + "'");
                    }
                }
            }
            units.resetFailed(unit);
            if (!machines.awaitRemoved(machine, GONE_TIMEOUT)) {
                throw ExecutorException.system("machine " + machine + " of " + context.describe()
                        + " is still registered with machined after its unit ended");
            }
        } catch (SystemdException e) {
            throw ExecutorException.system("cleaning up " + context.describe() + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Stops the job's slice, if any, with every unit still in it; returns whether there was one. */
    private boolean removeSlice() {
        String slice = context.machine().slice();
        try {
            if (!units.isLoaded(slice)) {
                return false;
            }
            units.stopAndWait(slice, GONE_TIMEOUT.multipliedBy(2));
            units.resetFailed(slice);
            if (!units.awaitUnloaded(slice, GONE_TIMEOUT)) {
                throw ExecutorException.system("slice " + slice + " of " + context.describe()
                        + " is still there after it was stopped; see 'systemctl status " + slice + "'");
            }
        } catch (SystemdException e) {
            throw ExecutorException.system("cleaning up " + context.describe() + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** This job may have been the last one on a superseded chroot version. */
    private void collectChrootVersions() {
        RunnerConfig config = context.config();
        try {
            new ChrootCollector(ChrootLayout.canonical(config.chrootsDir()), new ChrootUsage(config.jobsDir())).collectUnlessBusy()
                    .forEach(version -> log.info("removed chroot version " + version + ", its last job ended"));
        } catch (UncheckedIOException e) {
            // the job itself is cleaned up; a version left behind is collected by the next cleanup
            log.info("could not collect old chroot versions: " + e.getMessage());
        }
    }

    /** For prepare: whether an earlier attempt of this job left anything behind. */
    public boolean anythingLeft() {
        return Files.exists(context.paths().jobDir())
                || units.isLoaded(context.machine().unit())
                || units.isLoaded(context.machine().helper().unit())
                || units.isLoaded(context.machine().slice())
                || machines.isRegistered(context.machine().value())
                || new JobNetwork(context, log).anythingLeft();
    }

}
