package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a lava command needs to talk to the server, resolved from flags, then environment, then
 * defaults. The flags come checked (picocli's converters); a variable's text is checked here, by the
 * same rules ({@link LavaValues}), and a bad one named in the error.
 */
public record LavaSettings(LavaEndpoint endpoint, LavaToken token, Duration pollInterval, int maxRequestsPerMinute,
                           RetryPolicy retry, Optional<Boolean> cancelOnAbort, Duration cancelWait, boolean failOnTestFailures) {
    public static final String URL_VARIABLE = "LAVA_URL";
    public static final String TOKEN_VARIABLE = "LAVA_TOKEN";
    public static final String POLL_INTERVAL_VARIABLE = "LAVA_POLL_INTERVAL";
    public static final String MAX_REQUESTS_VARIABLE = "LAVA_MAX_REQUESTS_PER_MINUTE";
    public static final String MAX_RETRY_DELAY_VARIABLE = "LAVA_MAX_RETRY_DELAY";
    public static final String CANCEL_ON_ABORT_VARIABLE = "LAVA_CANCEL_ON_ABORT";
    public static final String CANCEL_WAIT_VARIABLE = "LAVA_CANCEL_WAIT";
    public static final String FAIL_ON_TEST_FAILURES_VARIABLE = "LAVA_FAIL_ON_TEST_FAILURES";

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_REQUESTS_PER_MINUTE = 60;
    /** Within the executor's default grace (10 s) a cancel request has long gone out; LAVA took ~5 s to end a job. */
    public static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(20);

    public static LavaSettings resolve(Map<String, String> environment, LavaFlags flags) {
        LavaEndpoint endpoint = LavaEndpoint.parse(flags.url().or(() -> variable(environment, URL_VARIABLE)).orElse(null));
        LavaToken token = LavaToken.of(flags.token().or(() -> variable(environment, TOKEN_VARIABLE)).orElse(null));
        Duration pollInterval = flags.pollInterval().orElseGet(() -> variable(environment, POLL_INTERVAL_VARIABLE)
                .map(text -> LavaValues.seconds(text, "poll interval (" + POLL_INTERVAL_VARIABLE + ")"))
                .orElse(DEFAULT_POLL_INTERVAL));
        int maxRequests = flags.maxRequestsPerMinute().orElseGet(() -> variable(environment, MAX_REQUESTS_VARIABLE)
                .map(text -> LavaValues.requestsPerMinute(text, "maximum requests per minute (" + MAX_REQUESTS_VARIABLE + ")"))
                .orElse(DEFAULT_MAX_REQUESTS_PER_MINUTE));
        Duration maxRetryDelay = flags.maxRetryDelay().orElseGet(() -> variable(environment, MAX_RETRY_DELAY_VARIABLE)
                .map(text -> LavaValues.seconds(text, "maximum retry delay (" + MAX_RETRY_DELAY_VARIABLE + ")"))
                .orElse(RetryPolicy.DEFAULT_MAX_DELAY));
        Optional<Boolean> cancelOnAbort = flags.cancelOnAbort().or(() -> variable(environment, CANCEL_ON_ABORT_VARIABLE)
                .map(text -> LavaValues.bool(text, CANCEL_ON_ABORT_VARIABLE)));
        Duration cancelWait = flags.cancelWait().orElseGet(() -> variable(environment, CANCEL_WAIT_VARIABLE)
                .map(text -> LavaValues.seconds(text, "cancel wait (" + CANCEL_WAIT_VARIABLE + ")"))
                .orElse(DEFAULT_CANCEL_WAIT));
        boolean failOnTestFailures = flags.failOnTestFailures().or(() -> variable(environment, FAIL_ON_TEST_FAILURES_VARIABLE)
                .map(text -> LavaValues.bool(text, FAIL_ON_TEST_FAILURES_VARIABLE))).orElse(false);
        return new LavaSettings(endpoint, token, pollInterval, maxRequests, RetryPolicy.unbounded(maxRetryDelay), cancelOnAbort,
                cancelWait, failOnTestFailures);
    }

    /** An empty CI variable counts as unset. */
    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }
}
