package io.github.nspawnrunner.executor;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What gitlab-runner hands every executable through the environment. Job variables arrive as
 * {@code CUSTOM_ENV_<NAME>} and are written by whoever writes .gitlab-ci.yml: they may choose
 * among admin-approved options, never identify the job (see {@link JobResponse}).
 * No lambdas here: this runs in every JVM that gitlab-runner starts (config, prepare and cleanup
 * without the executor service), where each one's first use costs start-up time.
 */
public record ExecutorEnvironment(
        int buildFailureExitCode,
        int systemFailureExitCode,
        Optional<Path> buildExitCodeFile,
        Optional<Path> jobResponseFile,
        Map<String, String> variables) {

    static final String JOB_VARIABLE_PREFIX = "CUSTOM_ENV_";

    public static ExecutorEnvironment from(Map<String, String> env) {
        return new ExecutorEnvironment(
                exitCode(env, "BUILD_FAILURE_EXIT_CODE", 1),
                exitCode(env, "SYSTEM_FAILURE_EXIT_CODE", 2),
                path(env, "BUILD_EXIT_CODE_FILE"),
                path(env, "JOB_RESPONSE_FILE"),
                env);
    }

    /** The value of the job variable NAME (as set in .gitlab-ci.yml or by GitLab), if non-empty. */
    public Optional<String> jobVariable(String name) {
        String value = variables.get(JOB_VARIABLE_PREFIX + name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** A job variable's value as messages may show it: one line, no control characters, not too long. */
    public static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    public int exitCodeFor(FailureKind kind) {
        return kind == FailureKind.BUILD ? buildFailureExitCode : systemFailureExitCode;
    }

    public Path requireJobResponseFile() {
        if (jobResponseFile.isEmpty()) {
            throw ExecutorException.system("JOB_RESPONSE_FILE is not set: nspawn-runner identifies a job by the file"
                    + " gitlab-runner writes there; run this command from gitlab-runner's custom executor");
        }
        return jobResponseFile.get();
    }

    private static int exitCode(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }
}
