package io.github.nspawnrunner.lava;

import java.util.Optional;

/**
 * How a job ended: its last status; when its log was read, LAVA's result of the test case
 * "lava/job" (which names the error type of a failed job); and LAVA's JUnit results when it served
 * any. The verdict is health-based ({@link #passed()}); the test-results gate and the results
 * summary read {@link #results()}.
 */
public record JobOutcome(JobRef job, JobStatus status, Optional<LogLine> jobResult, Optional<String> junit) {
    public boolean passed() {
        return status.complete();
    }

    /** The parsed JUnit results; empty when LAVA served none or served something unreadable. */
    public Optional<JunitResults> results() {
        try {
            return junit.map(JunitResults::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A Complete job whose results hold a failing test case: what LAVA_FAIL_ON_TEST_FAILURES fails on. */
    public boolean passedWithFailingTests() {
        return passed() && results().map(results -> results.failed() > 0).orElse(false);
    }

    /** One line: "Complete", or why not, in LAVA's own words where it gave any. */
    public String reason() {
        if (passed()) {
            return JobStatus.COMPLETE;
        }
        if (!status.finished()) {
            return "still " + status.state() + " when the command stopped";
        }
        StringBuilder reason = new StringBuilder(status.health());
        Optional<String> errorType = jobResult.map(line -> line.fields().get("error_type"));
        Optional<String> comment = status.failureComment().or(() -> jobResult.map(line -> line.fields().get("error_msg")));
        comment.ifPresent(text -> reason.append(": ").append(text.strip().replaceAll("\\s+", " ")));
        errorType.ifPresent(type -> reason.append(" (error type: ").append(type).append(')'));
        return reason.toString();
    }
}
