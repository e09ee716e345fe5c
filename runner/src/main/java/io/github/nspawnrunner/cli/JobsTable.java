package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.cli.Listing.Column;
import io.github.nspawnrunner.machine.HostJobs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** How `nspawn-runner jobs` prints jobs: a table like `machinectl list`, or JSON with exact numbers. */
record JobsTable(List<HostJobs.Job> jobs, boolean showProfile) {
    /** The columns of `jobs`; the profile's in the table only when the config has more than one. */
    static Listing<HostJobs.Job> listing(boolean showProfile) {
        List<Column<HostJobs.Job>> columns = new ArrayList<>(List.of(
                Column.of("JOB", "job", HostJobs.Job::jobId),
                Column.of("PROJECT", "project", job -> orNull(job.labels().projectId())),
                Column.of("MACHINE", "machine", job -> job.machine().value()),
                Column.of("CHROOT", "chroot", job -> blankAsNull(job.labels().chroot()))));
        Column<HostJobs.Job> profile = Column.of("PROFILE", "profile", job -> blankAsNull(job.labels().profile()));
        columns.add(showProfile ? profile : Column.jsonOnly(profile.key(), profile.value()));
        columns.addAll(List.of(
                Column.of("STATE", "state", HostJobs.Job::state),
                Column.jsonOnly("prepared", job -> job.labels().prepared().map(Object::toString).orElse(null)),
                new Column<>("AGE", "age_seconds", job -> job.age().map(Duration::toSeconds).orElse(null),
                        job -> job.age().map(Listing::duration).orElse("-")),
                new Column<>("MEMORY", "memory_bytes", job -> orNull(job.memoryBytes()),
                        job -> job.memoryBytes().isPresent() ? Listing.bytes(job.memoryBytes().getAsLong()) : "-"),
                new Column<>("CPU", "cpu_nanoseconds", job -> orNull(job.cpuNanos()),
                        job -> job.cpuNanos().isPresent() ? Listing.duration(Duration.ofNanos(job.cpuNanos().getAsLong())) : "-")));
        return new Listing<>("jobs", columns);
    }

    void printJson(PrintStream out) {
        listing(showProfile).printJson(out, jobs);
    }

    void print(PrintStream out, boolean legend) {
        listing(showProfile).printTable(out, jobs, legend);
    }

    private static String blankAsNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
