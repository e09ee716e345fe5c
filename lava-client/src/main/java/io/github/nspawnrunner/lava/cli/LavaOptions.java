package io.github.nspawnrunner.lava.cli;

import io.github.nspawnrunner.lava.LavaFlags;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options of submit and monitor-file, typed: picocli checks each value with the converter that
 * checks its environment variable ({@link LavaConverters}), so a flag and its variable take the
 * same values. An option not given is null, and then the variable or the default applies.
 */
final class LavaOptions {
    @Option(names = "--url", paramLabel = "URL", description = "LAVA server's base address (default: $LAVA_URL).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $LAVA_TOKEN, preferred: a command line is visible to other users of the machine).")
    String token;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", converter = LavaConverters.Seconds.class,
            description = "Seconds between polls of a job (default: $LAVA_POLL_INTERVAL, else 5).")
    Duration pollInterval;

    @Option(names = "--max-requests-per-minute", paramLabel = "N", converter = LavaConverters.RequestsPerMinute.class,
            description = "Cap on requests to LAVA per minute, over all jobs and retries (default: $LAVA_MAX_REQUESTS_PER_MINUTE, else 60).")
    Integer maxRequestsPerMinute;

    @Option(names = "--max-retry-delay", paramLabel = "SECONDS", converter = LavaConverters.Seconds.class,
            description = "Longest wait between retries of a failing request; retries never give up (default: $LAVA_MAX_RETRY_DELAY, else 60).")
    Duration maxRetryDelay;

    @Option(names = "--cancel-on-abort", negatable = true, arity = "0..1", fallbackValue = "true", paramLabel = "true|false", converter = LavaConverters.Bool.class,
            description = "On SIGTERM/SIGINT cancel the LAVA jobs (--no-cancel-on-abort: leave them running) (default: $LAVA_CANCEL_ON_ABORT,"
                    + " else true for submit, false for monitor-file).")
    Boolean cancelOnAbort;

    @Option(names = "--cancel-wait", paramLabel = "SECONDS", converter = LavaConverters.Seconds.class,
            description = "After cancelling, wait up to this long for the jobs to end (default: $LAVA_CANCEL_WAIT, else 20).")
    Duration cancelWait;

    @Option(names = "--fail-on-test-failures", negatable = true, arity = "0..1", fallbackValue = "true", paramLabel = "true|false", converter = LavaConverters.Bool.class,
            description = "Fail also when a Complete job has a failing test case (default: $LAVA_FAIL_ON_TEST_FAILURES, else false).")
    Boolean failOnTestFailures;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    LavaFlags flags() {
        LavaFlags flags = LavaFlags.none();
        if (url != null) {
            flags = flags.withUrl(url);
        }
        if (token != null) {
            flags = flags.withToken(token);
        }
        if (pollInterval != null) {
            flags = flags.withPollInterval(pollInterval);
        }
        if (maxRequestsPerMinute != null) {
            flags = flags.withMaxRequestsPerMinute(maxRequestsPerMinute);
        }
        if (maxRetryDelay != null) {
            flags = flags.withMaxRetryDelay(maxRetryDelay);
        }
        if (cancelOnAbort != null) {
            flags = flags.withCancelOnAbort(cancelOnAbort);
        }
        if (cancelWait != null) {
            flags = flags.withCancelWait(cancelWait);
        }
        if (failOnTestFailures != null) {
            flags = flags.withFailOnTestFailures(failOnTestFailures);
        }
        return flags;
    }
}
