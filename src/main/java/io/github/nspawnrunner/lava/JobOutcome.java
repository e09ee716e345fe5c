package io.github.nspawnrunner.lava;

import java.util.Optional;

/**
 * How a job ended: its last status; when its log was read, LAVA's result of the test case
 * "lava/job" (which names the error type of a failed job); and LAVA's JUnit results when it served
 * any. JUNIT is here for issue 7: the results summary and the test-results gate read it from the
 * outcomes, next to the health-based verdict of {@link #passed()}.
 */
public record JobOutcome(JobRef job, JobStatus status, Optional<LogLine> jobResult, Optional<String> junit) {
    public boolean passed() {
        return status.complete();
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
