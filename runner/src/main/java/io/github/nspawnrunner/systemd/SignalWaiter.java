package io.github.nspawnrunner.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects signal payloads by key (a job path, a unit or machine name) so that a caller can wait
 * for one even when the signal arrived before the caller learned the key.
 */
final class SignalWaiter<V> {
    private final Map<String, CompletableFuture<V>> arrivals = new ConcurrentHashMap<>();

    void arrived(String key, V value) {
        future(key).complete(value);
    }

    /** The value signalled for KEY, or empty when none came within the timeout. */
    java.util.Optional<V> await(String key, Duration timeout) {
        try {
            return java.util.Optional.of(future(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<V> future(String key) {
        return arrivals.computeIfAbsent(key, k -> new CompletableFuture<>());
    }
}
