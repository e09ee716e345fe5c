package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed at the end, one row per job, in the manner of {@code machinectl list}. */
final class SummaryTable {
    private SummaryTable() {
    }

    static List<String> render(List<JobOutcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"JOB", "STATE", "HEALTH", "DEVICE", "RESULT"});
        for (JobOutcome outcome : outcomes) {
            JobStatus status = outcome.status();
            rows.add(new String[] {outcome.job().describe(), status.state(), status.health(), status.device().orElse("-"),
                outcome.passed() ? "ok" : "FAILED: " + outcome.reason()});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            lines.add(String.format(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %-"
                    + widths[3] + "s  %s", (Object[]) row));
        }
        long failed = outcomes.stream().filter(outcome -> !outcome.passed()).count();
        lines.add(failed == 0
                ? (outcomes.size() == 1 ? "the job ended Complete" : "all " + outcomes.size() + " jobs ended Complete")
                : failed + " of " + outcomes.size() + " job" + (outcomes.size() == 1 ? "" : "s") + " did not end Complete");
        return lines;
    }
}
