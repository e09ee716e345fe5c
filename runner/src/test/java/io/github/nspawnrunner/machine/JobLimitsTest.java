package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobLimitsTest {
    private static final long HOST_MEMORY = 16L << 30;

    private final RunnerConfig config = new ConfigLoader(Map.of(
            "NSPAWN_RUNNER_CONFIG", "/dev/null",
            "NSPAWN_RUNNER_MEMORY_MAX", "2G", "NSPAWN_RUNNER_MEMORY_MAX_ALLOWED", "4G",
            "NSPAWN_RUNNER_TASKS_MAX", "512", "NSPAWN_RUNNER_TASKS_MAX_ALLOWED", "1024",
            "NSPAWN_RUNNER_CPU_QUOTA", "100%", "NSPAWN_RUNNER_CPU_QUOTA_ALLOWED", "200%")).load(null);

    private ResourceLimits resolve(String... jobVariables) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < jobVariables.length; i += 2) {
            env.put("CUSTOM_ENV_" + jobVariables[i], jobVariables[i + 1]);
        }
        return JobLimits.resolve(config, ExecutorEnvironment.from(env), HOST_MEMORY);
    }

    @Test
    void aJobThatAsksForNothingGetsTheAdminDefaults() {
        ResourceLimits limits = resolve();
        assertEquals(2L << 30, limits.get(ResourceLimit.MEMORY_MAX));
        assertEquals(512, limits.get(ResourceLimit.TASKS_MAX));
        assertEquals(100, limits.get(ResourceLimit.CPU_QUOTA));
        assertEquals("memory_max 2G, cpu_quota 100%, tasks_max 512, io_weight 100", limits.describe());
    }

    @Test
    void aRequestUpToTheMaximumIsGranted() {
        ResourceLimits limits = resolve("NSPAWN_RUNNER_MEMORY_MAX", "4G", "NSPAWN_RUNNER_TASKS_MAX", "64",
                "NSPAWN_RUNNER_CPU_QUOTA", "150%");
        assertEquals(4L << 30, limits.get(ResourceLimit.MEMORY_MAX));
        assertEquals(64, limits.get(ResourceLimit.TASKS_MAX));
        assertEquals(150, limits.get(ResourceLimit.CPU_QUOTA));
    }

    @Test
    void aRequestAboveTheMaximumIsTheJobsFaultAndSaysWhatIsAllowed() {
        ExecutorException e = assertThrows(ExecutorException.class, () -> resolve("NSPAWN_RUNNER_MEMORY_MAX", "8G"));
        assertEquals(FailureKind.BUILD, e.kind());
        assertEquals("job variable NSPAWN_RUNNER_MEMORY_MAX=8G asks for more than this runner allows: memory_max may be at"
                + " most 4G (memory_max_allowed)", e.getMessage());
        ExecutorException unlimited = assertThrows(ExecutorException.class,
                () -> resolve("NSPAWN_RUNNER_TASKS_MAX", "infinity"));
        assertEquals("job variable NSPAWN_RUNNER_TASKS_MAX=infinity asks for more than this runner allows: tasks_max may"
                + " be at most 1024 (tasks_max_allowed)", unlimited.getMessage());
    }

    @Test
    void aRequestThatDoesNotParseSaysWhatIsExpectedOnOneLine() {
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> resolve("NSPAWN_RUNNER_MEMORY_MAX", "lots\nof memory"));
        assertEquals(FailureKind.BUILD, e.kind());
        assertEquals("job variable NSPAWN_RUNNER_MEMORY_MAX=lots?of memory is not valid: expected a size such as 512M or"
                + " 8G, a share of the host's memory such as 50%, or infinity, at most 4G (this runner's memory_max_allowed)",
                e.getMessage());
    }
}
