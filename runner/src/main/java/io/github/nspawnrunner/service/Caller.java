package io.github.nspawnrunner.service;

import java.util.Map;

/**
 * Who made the call being answered: its uid and, for root, its environment (gitlab-runner's
 * variables for the job) and whether JOB_RESPONSE_FILE exists where the caller looks for it.
 */
public record Caller(long uid, Map<String, String> environment, boolean seesJobResponseFile) {
    /** The only uid the service serves, and whose processes' environment it reads. */
    static final long ROOT = 0;

    public boolean isRoot() {
        return uid == ROOT;
    }

    public static Caller unprivileged(long uid) {
        return new Caller(uid, Map.of(), false);
    }
}
