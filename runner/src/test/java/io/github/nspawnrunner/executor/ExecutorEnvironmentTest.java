package io.github.nspawnrunner.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {
    @Test
    void exitCodesComeFromGitlabRunner() {
        var env = ExecutorEnvironment.from(Map.of("BUILD_FAILURE_EXIT_CODE", "17", "SYSTEM_FAILURE_EXIT_CODE", "18"));
        assertEquals(17, env.exitCodeFor(FailureKind.BUILD));
        assertEquals(18, env.exitCodeFor(FailureKind.SYSTEM));
    }

    @Test
    void exitCodesDefaultToGitlabRunnersValues() {
        var env = ExecutorEnvironment.from(Map.of("BUILD_FAILURE_EXIT_CODE", "x"));
        assertEquals(1, env.exitCodeFor(FailureKind.BUILD));
        assertEquals(2, env.exitCodeFor(FailureKind.SYSTEM));
    }

    @Test
    void jobVariablesAreTheCustomEnvOnes() {
        var env = ExecutorEnvironment.from(Map.of("CUSTOM_ENV_CI_JOB_IMAGE", "trixie", "CI_JOB_IMAGE", "no",
                "CUSTOM_ENV_EMPTY", ""));
        assertEquals(Optional.of("trixie"), env.jobVariable("CI_JOB_IMAGE"));
        assertEquals(Optional.empty(), env.jobVariable("EMPTY"));
        assertEquals(Optional.empty(), env.jobVariable("OTHER"));
    }

    @Test
    void jobResponseFileIsRequiredToIdentifyAJob() {
        assertThrows(ExecutorException.class, () -> ExecutorEnvironment.from(Map.of()).requireJobResponseFile());
        assertEquals(Path.of("/tmp/x/response.json"), ExecutorEnvironment
                .from(Map.of("JOB_RESPONSE_FILE", "/tmp/x/response.json")).requireJobResponseFile());
    }
}
