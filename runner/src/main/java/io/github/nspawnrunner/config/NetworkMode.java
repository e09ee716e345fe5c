package io.github.nspawnrunner.config;

import java.util.Locale;

/** How a job's container is networked. */
public enum NetworkMode {
    /** A network namespace of its own, with outbound access through the host and nothing else. */
    PRIVATE,
    /** The host's own network namespace: everything the host reaches, its loopback included. */
    HOST,
    /** A network namespace of its own with loopback only. */
    NONE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
