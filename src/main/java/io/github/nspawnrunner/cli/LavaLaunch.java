package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.lava.AbortPolicy;
import io.github.nspawnrunner.lava.LavaClient;
import io.github.nspawnrunner.lava.LavaFlags;
import io.github.nspawnrunner.lava.LavaRuntime;

/**
 * Builds the LAVA client for the lava commands. Kept out of the command classes, which picocli
 * reflects on for every command line, so that only a lava command loads the lava package.
 */
final class LavaLaunch {
    private LavaLaunch() {
    }

    /** Issue 7 installs a SIGTERM/SIGINT hook here that interrupts the polling thread, and picks the policy. */
    static LavaClient client(LavaOptions options) {
        LavaFlags flags = new LavaFlags(options.url, options.token, options.pollInterval, options.maxRequestsPerMinute,
                options.maxRetryDelay);
        return new LavaClient(System.getenv(), flags, LavaRuntime.system(options.verbose), AbortPolicy.LEAVE_RUNNING);
    }
}
