package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.machine.HostJobs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** How `nspawn-runner jobs` prints jobs: a table like `machinectl list`, or JSON with exact numbers. */
record JobsTable(List<HostJobs.Job> jobs, boolean showProfile) {
    void printJson(PrintStream out) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HostJobs.Job job : jobs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("job", job.jobId());
            row.put("project", job.labels().projectId().isPresent() ? job.labels().projectId().getAsLong() : null);
            row.put("machine", job.machine().value());
            row.put("chroot", blankAsNull(job.labels().chroot()));
            row.put("profile", blankAsNull(job.labels().profile()));
            row.put("state", job.state());
            row.put("prepared", job.labels().prepared().map(Object::toString).orElse(null));
            row.put("age_seconds", job.age().map(Duration::toSeconds).orElse(null));
            row.put("memory_bytes", orNull(job.memoryBytes()));
            row.put("cpu_nanoseconds", orNull(job.cpuNanos()));
            rows.add(row);
        }
        JsonOutput.print(out, rows);
    }

    void print(PrintStream out, boolean legend) {
        List<List<String>> lines = new ArrayList<>();
        if (legend) {
            lines.add(columns("JOB", "PROJECT", "MACHINE", "CHROOT", "PROFILE", "STATE", "AGE", "MEMORY", "CPU"));
        }
        for (HostJobs.Job job : jobs) {
            lines.add(columns(String.valueOf(job.jobId()),
                    job.labels().projectId().isPresent() ? String.valueOf(job.labels().projectId().getAsLong()) : "-",
                    job.machine().value(), dashIfBlank(job.labels().chroot()), dashIfBlank(job.labels().profile()), job.state(),
                    job.age().map(JobsTable::duration).orElse("-"),
                    job.memoryBytes().isPresent() ? bytes(job.memoryBytes().getAsLong()) : "-",
                    job.cpuNanos().isPresent() ? duration(Duration.ofNanos(job.cpuNanos().getAsLong())) : "-"));
        }
        int[] widths = new int[lines.isEmpty() ? 0 : lines.get(0).size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + widths[i] + "s", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
        if (legend) {
            out.printf("%n%d jobs listed.%n", jobs.size());
        }
    }

    private List<String> columns(String job, String project, String machine, String chroot, String profile, String state,
            String age, String memory, String cpu) {
        return showProfile ? List.of(job, project, machine, chroot, profile, state, age, memory, cpu)
                : List.of(job, project, machine, chroot, state, age, memory, cpu);
    }

    /** "4.2s", "3m07s", "2h05m": what a glance at a job needs. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** Binary units, as systemctl status shows memory: "512.0K", "118.3M", "1.5G". */
    static String bytes(long bytes) {
        String units = "BKMGT";
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.1f%c", value, units.charAt(unit));
    }

    private static String dashIfBlank(String value) {
        return value.isEmpty() ? "-" : value;
    }

    private static String blankAsNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
