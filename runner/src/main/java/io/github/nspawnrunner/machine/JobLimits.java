package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import java.util.Optional;

/**
 * The limits of one job's container: the admin's defaults, except where the job asks for another
 * value with a job variable such as NSPAWN_RUNNER_MEMORY_MAX=8G, up to the admin's maximum
 * (memory_max_allowed). The idea of gitlab-runner's Kubernetes executor's overwrite limits.
 */
public final class JobLimits {
    private JobLimits() {
    }

    /** @throws ExecutorException a build failure naming the variable and what is allowed */
    public static ResourceLimits resolve(RunnerConfig config, ExecutorEnvironment environment, long hostMemory) {
        ResourceLimits limits = config.limits();
        for (ResourceLimit limit : ResourceLimit.values()) {
            Optional<String> asked = environment.jobVariable(limit.jobVariable());
            if (asked.isPresent()) {
                limits = limits.with(limit, allowed(limit, asked.get(), config.limitsAllowed().get(limit), hostMemory));
            }
        }
        return limits;
    }

    private static long allowed(ResourceLimit limit, String asked, long most, long hostMemory) {
        String shown = limit.jobVariable() + "=" + ExecutorEnvironment.printable(asked);
        long value;
        try {
            value = limit.parse(asked, hostMemory);
        } catch (IllegalArgumentException e) {
            throw ExecutorException.build("job variable " + shown + " is not valid: expected " + limit.expected()
                    + ", at most " + limit.format(most) + " (this runner's " + limit.allowedKey() + ")");
        }
        if (value > most) {
            throw ExecutorException.build("job variable " + shown + " asks for more than this runner allows: "
                    + limit.key() + " may be at most " + limit.format(most) + " (" + limit.allowedKey() + ")");
        }
        return value;
    }
}
