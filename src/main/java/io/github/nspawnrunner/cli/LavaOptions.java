package io.github.nspawnrunner.cli;

import picocli.CommandLine.Option;

/**
 * Options of the lava subcommands. Values stay text here and are checked by the lava package in
 * one place. No member mentions a lava type: picocli reflects on this class whenever it builds the
 * command tree (config, prepare, cleanup too), and that must not load the LAVA client.
 */
final class LavaOptions {
    @Option(names = "--url", paramLabel = "URL", description = "LAVA server's base address (default: $LAVA_URL).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $LAVA_TOKEN, preferred: a command line is visible to other users of the machine).")
    String token;

    @Option(names = "--poll-interval", paramLabel = "SECONDS",
            description = "Seconds between polls of a job (default: $LAVA_POLL_INTERVAL, else 5).")
    String pollInterval;

    @Option(names = "--max-requests-per-minute", paramLabel = "N",
            description = "Cap on requests to LAVA per minute, over all jobs and retries (default: $LAVA_MAX_REQUESTS_PER_MINUTE, else 60).")
    String maxRequestsPerMinute;

    @Option(names = "--max-retry-delay", paramLabel = "SECONDS",
            description = "Longest wait between retries of a failing request; retries never give up (default: $LAVA_MAX_RETRY_DELAY, else 60).")
    String maxRetryDelay;

    @Option(names = "--cancel-on-abort", negatable = true,
            description = "On SIGTERM/SIGINT cancel the LAVA jobs (--no-cancel-on-abort: leave them running) (default: $LAVA_CANCEL_ON_ABORT,"
                    + " else true for submit, false for monitor-file).")
    Boolean cancelOnAbort;

    @Option(names = "--cancel-wait", paramLabel = "SECONDS",
            description = "After cancelling, wait up to this long for the jobs to end (default: $LAVA_CANCEL_WAIT, else 20).")
    String cancelWait;

    @Option(names = "--fail-on-test-failures", negatable = true,
            description = "Fail also when a Complete job has a failing test case (default: $LAVA_FAIL_ON_TEST_FAILURES, else false).")
    Boolean failOnTestFailures;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;
}
