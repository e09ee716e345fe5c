package io.github.nspawnrunner.host;

import java.util.Optional;

/**
 * Watches a tool while it runs ({@link ToolProcess}): the reason to stop it now, or empty while
 * all is well. Asked a few times a second from a thread of its own, so it must be cheap.
 */
@FunctionalInterface
public interface ProcessGuard {
    ProcessGuard NONE = Optional::empty;

    Optional<String> breach();
}
