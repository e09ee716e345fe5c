package io.github.nspawnrunner.lava;

/**
 * What the command line said; every field may be null (not given), then the environment or the
 * default applies. Values stay text until {@link LavaSettings#resolve} so that one place reports bad ones.
 */
public record LavaFlags(String url, String token, String pollInterval, String maxRequestsPerMinute, String maxRetryDelay,
                        String cancelOnAbort, String cancelWait, String failOnTestFailures) {
    /** The connection flags alone; the abort and results switches unset. */
    public LavaFlags(String url, String token, String pollInterval, String maxRequestsPerMinute, String maxRetryDelay) {
        this(url, token, pollInterval, maxRequestsPerMinute, maxRetryDelay, null, null, null);
    }

    public static LavaFlags none() {
        return new LavaFlags(null, null, null, null, null);
    }

    /** Flags hold the token only in memory; never show it. */
    @Override
    public String toString() {
        return "LavaFlags[url=" + url + ", token=" + (token == null ? "unset" : "hidden") + ", pollInterval=" + pollInterval
                + ", maxRequestsPerMinute=" + maxRequestsPerMinute + ", maxRetryDelay=" + maxRetryDelay + ", cancelOnAbort="
                + cancelOnAbort + ", cancelWait=" + cancelWait + ", failOnTestFailures=" + failOnTestFailures + "]";
    }
}
