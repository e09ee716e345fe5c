package io.github.nspawnrunner.failure;

/**
 * A failure with a one-line message meant for the job log, and which of gitlab-runner's two
 * failure kinds it is. Carries no stack trace to the user unless --verbose asks for one.
 */
public class ExecutorException extends RuntimeException {
    private final FailureKind kind;

    public ExecutorException(FailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ExecutorException(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The job's own fault, e.g. a job variable asking for what the admin does not allow. */
    public static ExecutorException build(String message) {
        return new ExecutorException(FailureKind.BUILD, message);
    }

    public static ExecutorException system(String message) {
        return new ExecutorException(FailureKind.SYSTEM, message);
    }

    public static ExecutorException system(String message, Throwable cause) {
        return new ExecutorException(FailureKind.SYSTEM, message, cause);
    }

    public FailureKind kind() {
        return kind;
    }
}
