package io.github.nspawnrunner.service;

/** Identifies the caller of the method call the current thread answers; the seam for tests. */
@FunctionalInterface
public interface CallerLookup {
    /** Throws {@link NotServed} when the caller cannot be read, so that it runs the call itself. */
    Caller identify();
}
