package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.systemd.UnitControl;
import io.github.nspawnrunner.systemd.UnitUsage;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The jobs on this host, for people: every job directory that prepare made under the jobs dir, with
 * what prepare recorded of it and what systemd says of its container's unit now. Read only; it
 * takes no lock, so a job may come or go while it looks.
 */
public final class HostJobs {
    /**
     * A job as `nspawn-runner jobs` shows it. STATE is its unit's ActiveState ("active" while the
     * container runs), or "gone" when no unit is loaded (a job that `jobs gc` will remove).
     */
    public record Job(long jobId, MachineName machine, JobLabels labels, String state, OptionalLong memoryBytes,
            OptionalLong cpuNanos, Optional<Duration> age) {
        public static final String GONE = "gone";

        public boolean isRunning() {
            return "active".equals(state);
        }
    }

    private final Path jobsDir;
    private final UnitControl units;
    private final Clock clock;

    public HostJobs(Path jobsDir, UnitControl units, Clock clock) {
        this.jobsDir = jobsDir;
        this.units = units;
        this.clock = clock;
    }

    /** By job id. A directory being made or removed (hidden name) or without prepare's record is not a job yet. */
    public List<Job> list() {
        List<Job> jobs = new ArrayList<>();
        for (Path entry : FileTrees.entries(jobsDir)) {
            if (!entry.getFileName().toString().startsWith(".") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                JobOrigin.readOwn(entry).ifPresent(origin -> jobs.add(job(origin)));
            }
        }
        jobs.sort(Comparator.comparingLong(Job::jobId));
        return jobs;
    }

    public Optional<Job> find(long jobId) {
        return list().stream().filter(job -> job.jobId() == jobId).findFirst();
    }

    private Job job(JobOrigin origin) {
        Optional<UnitUsage> usage = units.usage(origin.machine().unit());
        // an image job's slice holds all of it (both containers and its stages): its use is the job's
        Optional<UnitUsage> used = units.usage(origin.machine().slice()).or(() -> usage);
        return new Job(origin.jobId(), origin.machine(), origin.labels(),
                usage.map(UnitUsage::activeState).orElse(Job.GONE),
                used.map(UnitUsage::memoryBytes).orElse(OptionalLong.empty()),
                used.map(UnitUsage::cpuNanos).orElse(OptionalLong.empty()),
                origin.labels().prepared().map(prepared -> Duration.between(prepared, clock.instant())));
    }
}
