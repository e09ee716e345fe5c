package io.github.nspawnrunner.host;

/** A host command (debootstrap, cp, systemd-nspawn) failed; the message says which and how. */
public class HostCommandException extends RuntimeException {
    public HostCommandException(String message) {
        super(message);
    }
}
