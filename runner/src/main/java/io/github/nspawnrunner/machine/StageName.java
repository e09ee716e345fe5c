package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.util.regex.Pattern;

/** A stage as gitlab-runner names it (build_script, step_release, ...); it becomes part of a unit name. */
public record StageName(String value) {
    /** libexec/run-stage.bash checks the same (LauncherContractTest). */
    public static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    /**
     * A booted job's stage runs as a unit of its machine's systemd, nspawn-runner-build-script.service:
     * run-stage.bash appends the stage's name, with - for _, to the stage target file's unit_prefix.
     */
    public static final String MACHINE_UNIT_PREFIX = "nspawn-runner-";

    /** An image job's stage runs as a unit of the host's systemd, named after the job's machine: nsr-42-build-script.service. */
    static String hostUnitPrefix(MachineName machine) {
        return machine + "-";
    }

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
