package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.util.regex.Pattern;

/** A stage as gitlab-runner names it (build_script, step_release, ...); it becomes part of a unit name. */
public record StageName(String value) {
    /** libexec/run-stage.bash checks the same (LauncherContractTest). */
    public static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    public static StageName parse(String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw ExecutorException.system("unexpected stage name '" + value
                    + "': gitlab-runner names stages like build_script (" + PATTERN + ")");
        }
        return new StageName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
