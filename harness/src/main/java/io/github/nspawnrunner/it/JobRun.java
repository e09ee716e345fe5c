package io.github.nspawnrunner.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** What each executable of a simulated job returned, and whether the job failed. */
public record JobRun(ExecResult config, ExecResult prepare, Map<String, ExecResult> stages, ExecResult cleanup,
                     boolean failed) {

    public ExecResult stage(String name) {
        ExecResult result = stages.get(name);
        if (result == null) {
            throw new AssertionError("stage " + name + " did not run; ran: " + stages.keySet() + "\n" + this);
        }
        return result;
    }

    static final class Builder {
        ExecResult config;
        ExecResult prepare;
        final Map<String, ExecResult> stages = new LinkedHashMap<>();
        ExecResult cleanup;
        boolean failed;

        JobRun build() {
            return new JobRun(config, prepare, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages)), cleanup, failed || prepare == null || prepare.exitCode() != 0);
        }
    }
}
