package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test results printed at the end of both commands, from LAVA's JUnit results: one row per
 * job and suite (passed, failed, skipped), then the failing test cases by name, so that a GitLab
 * job log says which tests failed without opening an artifact.
 */
final class ResultsSummary {
    private ResultsSummary() {
    }

    static List<String> render(List<JobOutcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"JOB", "SUITE", "PASSED", "FAILED", "SKIPPED"});
        List<String> failing = new ArrayList<>();
        for (JobOutcome outcome : outcomes) {
            String job = outcome.job().describe();
            var results = outcome.results();
            if (results.isEmpty() || results.get().suites().isEmpty()) {
                rows.add(new String[] {job, "(no results)", "-", "-", "-"});
                continue;
            }
            for (SuiteResults suite : results.get().suites()) {
                rows.add(new String[] {job, suite.name(), Integer.toString(suite.passed()), Integer.toString(suite.failed()),
                    Integer.toString(suite.skipped())});
            }
            results.get().failing().forEach(name -> failing.add("  job " + job + ": " + name));
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("test results:");
        for (String[] row : rows) {
            lines.add(String.format(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %"
                    + widths[3] + "s  %" + widths[4] + "s", (Object[]) row).stripTrailing());
        }
        if (failing.isEmpty()) {
            lines.add("no failing test cases");
        } else {
            lines.add("failing test cases (" + failing.size() + "):");
            lines.addAll(failing);
        }
        return lines;
    }
}
