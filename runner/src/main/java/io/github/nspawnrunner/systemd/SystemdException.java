package io.github.nspawnrunner.systemd;

/** systemd or machined refused or failed a request; the message is one line, fit for a job log. */
public class SystemdException extends RuntimeException {
    public SystemdException(String message) {
        super(message);
    }

    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }
}
