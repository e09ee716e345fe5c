package io.github.nspawnrunner.lava;

import io.github.nspawnrunner.common.Log;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Sends requests to LAVA: adds the token, waits for the shared request budget, and retries what
 * is transient (connection failures, timeouts, 5xx, 429) with backoff, one line on stderr per
 * retry. Returns every other answer (2xx, 4xx) to the caller, who knows what a 404 means where.
 */
final class LavaHttp {
    /** A server's Retry-After beyond this is taken as a mistake rather than followed. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private final HttpClient client;
    private final LavaEndpoint endpoint;
    private final LavaToken token;
    private final RequestBudget budget;
    private final Ticker ticker;
    private final Log log;
    private final Duration requestTimeout;

    LavaHttp(HttpClient client, LavaEndpoint endpoint, LavaToken token, RequestBudget budget, Ticker ticker, Log log,
             Duration requestTimeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.token = token;
        this.budget = budget;
        this.ticker = ticker;
        this.log = log;
        this.requestTimeout = requestTimeout;
    }

    LavaEndpoint endpoint() {
        return endpoint;
    }

    HttpAnswer get(String path, RetryPolicy retry) throws InterruptedException {
        return send(request(path).GET().build(), path, retry, true);
    }

    /**
     * POST is not idempotent: a submission whose answer was lost may have created jobs, and sending
     * it again would run them twice. So only failures that prove the server did not act are retried:
     * no connection, 429, and 502/503 (the proxy did not reach, or was turned away by, the server).
     */
    HttpAnswer post(String path, String json, RetryPolicy retry) throws InterruptedException {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return send(request, path, retry, false);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(endpoint.api(path))
                .timeout(requestTimeout)
                .header("Authorization", token.authorization())
                .header("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5");
    }

    private HttpAnswer send(HttpRequest request, String path, RetryPolicy retry, boolean idempotent) throws InterruptedException {
        String what = request.method() + " " + describe(request.uri());
        for (int failed = 1; ; failed++) {
            budget.acquire();
            String problem;
            Optional<Duration> serverDelay = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (!isTransient(status, idempotent)) {
                    return new HttpAnswer(status, response.body());
                }
                problem = "HTTP " + status;
                if (status == 429) {
                    serverDelay = response.headers().firstValue("Retry-After").flatMap(LavaHttp::retryAfter);
                }
            } catch (ConnectException | HttpConnectTimeoutException e) {
                problem = "cannot connect (" + message(e) + ")";
            } catch (HttpTimeoutException e) {
                if (!idempotent) {
                    throw unknownSubmission(what, e);
                }
                problem = "request timed out";
            } catch (IOException e) {
                if (!idempotent) {
                    throw unknownSubmission(what, e);
                }
                problem = "connection broken (" + message(e) + ")";
            }
            if (!retry.allowsAnotherAfter(failed)) {
                throw new LavaServerException(what + " failed " + failed + " times, last: " + problem);
            }
            Duration delay = serverDelay.orElse(retry.delayAfter(failed));
            log.info(what + ": " + problem + "; retrying in " + human(delay) + " (attempt " + (failed + 1) + ")");
            ticker.sleep(delay);
        }
    }

    private LavaServerException unknownSubmission(String what, IOException e) {
        return new LavaServerException(what + " failed after it was sent (" + message(e) + "); LAVA may or may not"
                + " have created the job: look at " + endpoint + "/scheduler/myjobs before submitting again", e);
    }

    private static boolean isTransient(int status, boolean idempotent) {
        if (status == 429) {
            return true;
        }
        return idempotent ? status >= 500 : status == 502 || status == 503;
    }

    /** Path and query only: the base address is known, and a URL is the last place a secret should hide. */
    private static String describe(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String message(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Retry-After is either seconds or an HTTP date (RFC 9110). */
    static Optional<Duration> retryAfter(String value) {
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                delay = Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        return Optional.of(delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay);
    }

    private static String human(Duration delay) {
        long millis = delay.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
