package io.github.nspawnrunner.lava;

import java.util.Optional;

/**
 * How a job ended: its last status and, when its log was read, LAVA's result of the test case
 * "lava/job" (which names the error type of a failed job).
 */
public record JobOutcome(JobRef job, JobStatus status, Optional<LogLine> jobResult) {
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
