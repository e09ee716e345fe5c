package io.github.nspawnrunner.lava;

import java.util.Map;

/**
 * One entry of a LAVA job log: {@code {dt, lvl, msg}}. MESSAGE is the text of {@code msg}; when
 * {@code msg} is a mapping (test results, lvl "results") its keys are in FIELDS, in LAVA's order.
 */
public record LogLine(String dt, String level, String message, Map<String, String> fields) {
    public static final String RESULTS = "results";

    public boolean isResult() {
        return RESULTS.equals(level);
    }

    /**
     * LAVA ends every job log with the result of the test case "job" of the suite "lava"; when the job
     * failed, it carries the error type (Infrastructure, Job, Test, Bug, ...) and message.
     */
    public boolean isJobResult() {
        return isResult() && "lava".equals(fields.get("definition")) && "job".equals(fields.get("case"));
    }
}
