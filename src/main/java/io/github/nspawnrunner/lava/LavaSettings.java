package io.github.nspawnrunner.lava;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Everything a lava command needs to talk to the server, resolved from flags, then environment, then defaults. */
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
    /** 1000 a second: more is no cap at all, and the budget keeps one timestamp per request of a minute. */
    static final int MAX_REQUESTS_PER_MINUTE_LIMIT = 60_000;
    /** Within the executor's default grace (10 s) a cancel request has long gone out; LAVA took ~5 s to end a job. */
    public static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(20);

    public static LavaSettings resolve(Map<String, String> environment, LavaFlags flags) {
        LavaEndpoint endpoint = LavaEndpoint.parse(pick(flags.url(), environment, URL_VARIABLE));
        LavaToken token = LavaToken.of(pick(flags.token(), environment, TOKEN_VARIABLE));
        String poll = pick(flags.pollInterval(), environment, POLL_INTERVAL_VARIABLE);
        String rate = pick(flags.maxRequestsPerMinute(), environment, MAX_REQUESTS_VARIABLE);
        String retryCap = pick(flags.maxRetryDelay(), environment, MAX_RETRY_DELAY_VARIABLE);
        Duration pollInterval = poll == null ? DEFAULT_POLL_INTERVAL : seconds(poll, "poll interval (--poll-interval, " + POLL_INTERVAL_VARIABLE + ")");
        int maxRequests = rate == null ? DEFAULT_MAX_REQUESTS_PER_MINUTE : requestsPerMinute(rate);
        Duration maxRetryDelay = retryCap == null ? RetryPolicy.DEFAULT_MAX_DELAY
                : seconds(retryCap, "maximum retry delay (--max-retry-delay, " + MAX_RETRY_DELAY_VARIABLE + ")");
        String cancel = pick(flags.cancelOnAbort(), environment, CANCEL_ON_ABORT_VARIABLE);
        String wait = pick(flags.cancelWait(), environment, CANCEL_WAIT_VARIABLE);
        String gate = pick(flags.failOnTestFailures(), environment, FAIL_ON_TEST_FAILURES_VARIABLE);
        Optional<Boolean> cancelOnAbort = cancel == null ? Optional.empty()
                : Optional.of(bool(cancel, "--cancel-on-abort, " + CANCEL_ON_ABORT_VARIABLE));
        Duration cancelWait = wait == null ? DEFAULT_CANCEL_WAIT : seconds(wait, "cancel wait (--cancel-wait, " + CANCEL_WAIT_VARIABLE + ")");
        boolean failOnTestFailures = gate != null && bool(gate, "--fail-on-test-failures, " + FAIL_ON_TEST_FAILURES_VARIABLE);
        return new LavaSettings(endpoint, token, pollInterval, maxRequests, RetryPolicy.unbounded(maxRetryDelay), cancelOnAbort,
                cancelWait, failOnTestFailures);
    }

    /** CI variables are text: true/false, also yes/no and 1/0 as people write them; anything else is a mistake worth a line. */
    static boolean bool(String text, String what) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new LavaInputException(what + " must be true or false, not '" + text + "'");
        };
    }

    private static String pick(String flag, Map<String, String> environment, String variable) {
        if (flag != null) {
            return flag;
        }
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    /** Seconds as a decimal number, with an optional "s": "5", "0.5", "2s". */
    static Duration seconds(String text, String what) {
        String value = text.strip();
        if (value.endsWith("s")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
                throw new LavaInputException(what + " must be more than 0 and at most 86400 seconds, not '" + text + "'");
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            throw new LavaInputException(what + " must be a number of seconds, not '" + text + "'");
        }
    }

    private static int requestsPerMinute(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value > 0 && value <= MAX_REQUESTS_PER_MINUTE_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LavaInputException("maximum requests per minute (--max-requests-per-minute, " + MAX_REQUESTS_VARIABLE
                + ") must be a whole number from 1 to " + MAX_REQUESTS_PER_MINUTE_LIMIT + ", not '" + text + "'");
    }
}
