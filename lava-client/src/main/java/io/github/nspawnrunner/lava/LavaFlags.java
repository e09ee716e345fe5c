package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.Optional;

/**
 * What the command line said, already typed and checked (the CLI's converters use {@link LavaValues});
 * an empty value was not given, and then the environment or the default applies ({@link LavaSettings#resolve}).
 * The URL and the token stay text: {@link LavaEndpoint} and {@link LavaToken} check them, whichever gave them.
 */
public record LavaFlags(Optional<String> url, Optional<String> token, Optional<Duration> pollInterval,
                        Optional<Integer> maxRequestsPerMinute, Optional<Duration> maxRetryDelay, Optional<Boolean> cancelOnAbort,
                        Optional<Duration> cancelWait, Optional<Boolean> failOnTestFailures) {
    public static LavaFlags none() {
        return new LavaFlags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public LavaFlags withUrl(String value) {
        return new LavaFlags(Optional.of(value), token, pollInterval, maxRequestsPerMinute, maxRetryDelay, cancelOnAbort, cancelWait,
                failOnTestFailures);
    }

    public LavaFlags withToken(String value) {
        return new LavaFlags(url, Optional.of(value), pollInterval, maxRequestsPerMinute, maxRetryDelay, cancelOnAbort, cancelWait,
                failOnTestFailures);
    }

    public LavaFlags withPollInterval(Duration value) {
        return new LavaFlags(url, token, Optional.of(value), maxRequestsPerMinute, maxRetryDelay, cancelOnAbort, cancelWait,
                failOnTestFailures);
    }

    public LavaFlags withMaxRequestsPerMinute(int value) {
        return new LavaFlags(url, token, pollInterval, Optional.of(value), maxRetryDelay, cancelOnAbort, cancelWait, failOnTestFailures);
    }

    public LavaFlags withMaxRetryDelay(Duration value) {
        return new LavaFlags(url, token, pollInterval, maxRequestsPerMinute, Optional.of(value), cancelOnAbort, cancelWait,
                failOnTestFailures);
    }

    public LavaFlags withCancelOnAbort(boolean value) {
        return new LavaFlags(url, token, pollInterval, maxRequestsPerMinute, maxRetryDelay, Optional.of(value), cancelWait,
                failOnTestFailures);
    }

    public LavaFlags withCancelWait(Duration value) {
        return new LavaFlags(url, token, pollInterval, maxRequestsPerMinute, maxRetryDelay, cancelOnAbort, Optional.of(value),
                failOnTestFailures);
    }

    public LavaFlags withFailOnTestFailures(boolean value) {
        return new LavaFlags(url, token, pollInterval, maxRequestsPerMinute, maxRetryDelay, cancelOnAbort, cancelWait,
                Optional.of(value));
    }

    /** Flags hold the token only in memory; never show it. */
    @Override
    public String toString() {
        return "LavaFlags[url=" + url + ", token=" + (token.isEmpty() ? "unset" : "hidden") + ", pollInterval=" + pollInterval
                + ", maxRequestsPerMinute=" + maxRequestsPerMinute + ", maxRetryDelay=" + maxRetryDelay + ", cancelOnAbort="
                + cancelOnAbort + ", cancelWait=" + cancelWait + ", failOnTestFailures=" + failOnTestFailures + "]";
    }
}
