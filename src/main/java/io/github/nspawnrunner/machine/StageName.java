package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.ExecutorException;
import java.util.regex.Pattern;

/** A stage as gitlab-runner names it (build_script, step_release, ...); it becomes part of a unit name. */
public record StageName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static StageName parse(String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw ExecutorException.system("unexpected stage name '" + value
                    + "': gitlab-runner names stages like build_script ([A-Za-z0-9_-]{1,64})");
        }
        return new StageName(value);
    }

    /** The transient service that runs this stage inside the machine. */
    public String unit() {
        return "nspawn-runner-" + value.replace('_', '-') + ".service";
    }

    @Override
    public String toString() {
        return value;
    }
}
