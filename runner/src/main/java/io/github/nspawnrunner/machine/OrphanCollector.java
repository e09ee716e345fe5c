package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.systemd.MachineControl;
import io.github.nspawnrunner.systemd.SystemdException;
import io.github.nspawnrunner.systemd.UnitControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the job directories under {@code <state_dir>/jobs} whose job is gone for good
 * ({@link OrphanRule}) and removes each with everything of its job on the host, exactly as
 * cleanup would ({@link CleanupJob}): machine and unit if any, network allocation and nftables
 * table, uid range, idmapped mount, the directory with its chroot record, and then the chroot
 * versions nothing needs any more.
 *
 * <p>It never touches a live job: it only tries each job's lock ({@link JobLock}) and passes a
 * job whose lock is held (prepare or cleanup under way, in any process); holding the lock, it
 * judges the job by its machine, its unit, its stage target file and the boot it was prepared
 * in, never by a time; and nothing can start the job again while it holds the lock (a prepare
 * or cleanup of the same job waits for it). A directory without prepare's record (left by an
 * older nspawn-runner) is left alone and reported.
 */
public final class OrphanCollector {
    /** A job directory the collector removed, or would remove. */
    public record Orphan(Path jobDir, String describe, String reason) {
    }

    /** A job directory the collector cannot judge and leaves alone. */
    public record Unjudged(Path jobDir, String reason) {
    }

    /** What one round found; CHECKED counts the job directories it looked at. */
    public record Result(int checked, List<Orphan> orphans, List<Unjudged> unjudged, List<String> failures) {
    }

    private final RunnerConfig config;
    private final UnitControl units;
    private final MachineControl machines;
    private final Log log;
    private final BootId bootNow;

    public OrphanCollector(RunnerConfig config, UnitControl units, MachineControl machines, Log log, BootId bootNow) {
        this.config = config;
        this.units = units;
        this.machines = machines;
        this.log = log;
        this.bootNow = bootNow;
    }

    /** Removes the orphans (with DRYRUN, only finds them); a job that cannot be removed is a failure, the others go on. */
    public Result collect(boolean dryRun) {
        List<Orphan> orphans = new ArrayList<>();
        List<Unjudged> unjudged = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Path> entries = FileTrees.entries(config.jobsDir());
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                if (name.startsWith(".")) {
                    if (name.endsWith(JobDirectory.STAGING_SUFFIX)) {
                        collectStaging(entry, dryRun).ifPresent(orphans::add);
                    }
                } else {
                    judge(entry, dryRun, orphans, unjudged);
                }
            } catch (ExecutorException | SystemdException | UncheckedIOException e) {
                failures.add("cannot remove the orphaned job directory " + entry + ": " + e.getMessage());
            }
        }
        return new Result(entries.size(), orphans, unjudged, failures);
    }

    private void judge(Path jobDir, boolean dryRun, List<Orphan> orphans, List<Unjudged> unjudged) {
        Optional<JobLock> held = JobLock.tryAcquire(jobDir, jobDir.resolve(JobLock.FILE_NAME));
        if (held.isEmpty()) {
            if (!Files.exists(jobDir.resolve(JobLock.FILE_NAME)) && Files.isDirectory(jobDir)) {
                unjudged.add(new Unjudged(jobDir, "it has no lock, so no record of its prepare either"
                        + " (made by an older nspawn-runner?)"));
            }
            return; // prepare or cleanup of the job under way: alive
        }
        try (JobLock ignored = held.get()) {
            Optional<JobOrigin> origin = JobOrigin.readOwn(jobDir);
            if (origin.isEmpty()) {
                unjudged.add(new Unjudged(jobDir, "it has no readable record of its prepare (" + JobOrigin.FILE_NAME + ")"));
                return;
            }
            JobContext job = JobContext.recorded(config, jobDir, origin.get());
            MachineName machine = job.machine();
            Optional<String> reason = OrphanRule.orphanReason(new OrphanRule.Facts(origin.get(), bootNow,
                    machines.isRegistered(machine.value()), units.isLoaded(machine.unit()),
                    Files.exists(origin.get().stageTargetFile())));
            if (reason.isEmpty()) {
                return;
            }
            if (!dryRun) {
                new CleanupJob(job, units, machines, log).runLocked();
            }
            orphans.add(new Orphan(jobDir, job.describe(), reason.get()));
        }
    }

    /**
     * A directory prepare was making when it died: it holds only the lock and the record (prepare
     * renames it into place before it creates anything else), and its name is never used again.
     */
    private Optional<Orphan> collectStaging(Path staging, boolean dryRun) {
        Optional<JobOrigin> origin = JobOrigin.read(staging);
        if (origin.isEmpty()) {
            return Optional.empty(); // being made this very moment, or cut short before its record: nothing in it
        }
        // the same thread lock as the job directory it becomes: a prepare in this JVM holds it
        Path jobDir = staging.resolveSibling(origin.get().machine().value());
        Optional<JobLock> held = JobLock.tryAcquire(jobDir, staging.resolve(JobLock.FILE_NAME));
        if (held.isEmpty()) {
            return Optional.empty();
        }
        try (JobLock ignored = held.get()) {
            if (!dryRun) {
                FileTrees.remove(staging);
            }
            return Optional.of(new Orphan(staging, JobContext.describe(origin.get().machine(), origin.get().jobId()),
                    "its prepare died while it made the job's directory"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + staging + ": " + e.getMessage(), e);
        }
    }

}
