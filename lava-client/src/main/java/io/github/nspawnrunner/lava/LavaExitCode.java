package io.github.nspawnrunner.lava;

/**
 * Exit codes of the lava commands. Deliberately not the executor's: these run inside a job's
 * script, where the script (not gitlab-runner) decides what a code means, so they only have to be
 * distinct and stable.
 */
public enum LavaExitCode {
    /** Every job ended with health Complete. */
    SUCCESS(0),
    /** At least one job ended Incomplete, Canceled or in an unknown way. */
    JOB_FAILED(1),
    /** Bad input or usage (picocli's own usage errors are 2 as well); nothing was sent. */
    BAD_INPUT(2),
    /** The server refused us (token, unknown job) or answered nonsense. */
    SERVER_ERROR(3),
    /**
     * Interrupted (SIGTERM from a cancelled GitLab job, SIGINT); the jobs were cancelled or left
     * running as LAVA_CANCEL_ON_ABORT says. The same number as SERVER_ERROR, as it always was:
     * scripts that test for 3 keep working.
     */
    INTERRUPTED(3);

    private final int code;

    LavaExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
