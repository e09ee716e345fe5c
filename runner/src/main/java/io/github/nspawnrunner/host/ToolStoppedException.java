package io.github.nspawnrunner.host;

/** A {@link ProcessGuard} stopped a tool; the message says what it was doing and why it was stopped. */
public final class ToolStoppedException extends HostCommandException {
    private final String reason;

    ToolStoppedException(String what, String reason) {
        super(what + " was stopped: " + reason);
        this.reason = reason;
    }

    /** The guard's own words. */
    public String reason() {
        return reason;
    }
}
