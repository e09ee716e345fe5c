package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import java.util.List;

/**
 * Picks a job's chroot: the first admin-approved job variable that is set (the job's
 * {@code image:} arrives as CI_JOB_IMAGE), else the configured default. The value is the job
 * author's, so anything but a plain name is refused.
 */
public final class ChrootSelector {
    private final List<String> variables;
    private final String defaultChroot;

    public ChrootSelector(List<String> variables, String defaultChroot) {
        this.variables = variables;
        this.defaultChroot = defaultChroot;
    }

    /** What the job chose (the first approved variable that is set), as it wrote it; empty for the default. */
    public java.util.Optional<String> chosen(ExecutorEnvironment environment) {
        for (String variable : variables) {
            var value = environment.jobVariable(variable);
            if (value.isPresent()) {
                return value;
            }
        }
        return java.util.Optional.empty();
    }

    public ChrootName select(ExecutorEnvironment environment) {
        for (String variable : variables) {
            var value = environment.jobVariable(variable);
            if (value.isPresent()) {
                return ChrootName.parse(value.get()).orElseThrow(() -> ExecutorException.system(
                        "refusing chroot '" + ExecutorEnvironment.printable(value.get()) + "' from job variable " + variable
                                + ": a chroot is a plain name like 'bookworm' ([A-Za-z0-9][A-Za-z0-9._-]*)"));
            }
        }
        return ChrootName.parse(defaultChroot).orElseThrow(() -> ExecutorException.system(
                "the configured default_chroot '" + ExecutorEnvironment.printable(defaultChroot) + "' is not a plain chroot name"));
    }
}
