package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.List;

/**
 * The exit code of a command from how its jobs ended. Health decides by default (Complete
 * passes: a failing test case is a result, not an error, in LAVA's eyes); with the test-results
 * gate a Complete job with a failing test case fails too, and the lines say which cases.
 */
record Verdict(LavaExitCode code, List<String> lines) {
    Verdict {
        lines = List.copyOf(lines);
    }

    /** Prints the summary table, the results summary and the gate's lines; returns the exit code. */
    static LavaExitCode report(List<JobOutcome> outcomes, LavaSettings settings, LavaConsole console) {
        Verdict verdict = of(outcomes, settings.failOnTestFailures());
        console.print(SummaryTable.render(outcomes));
        console.print(ResultsSummary.render(outcomes));
        console.print(verdict.lines());
        return verdict.code();
    }

    static Verdict of(List<JobOutcome> outcomes, boolean failOnTestFailures) {
        boolean healthy = outcomes.stream().allMatch(JobOutcome::passed);
        List<String> lines = new ArrayList<>();
        if (failOnTestFailures) {
            for (JobOutcome outcome : outcomes) {
                if (outcome.passedWithFailingTests()) {
                    lines.add("job " + outcome.job().describe() + " ended Complete but has failing test cases ("
                            + LavaSettings.FAIL_ON_TEST_FAILURES_VARIABLE + "): "
                            + String.join(", ", outcome.results().orElseThrow().failing()));
                }
            }
        }
        return new Verdict(healthy && lines.isEmpty() ? LavaExitCode.SUCCESS : LavaExitCode.JOB_FAILED, lines);
    }
}
