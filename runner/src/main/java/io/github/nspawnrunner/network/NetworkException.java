package io.github.nspawnrunner.network;

/** Setting up or removing a job's network failed; the message says what, in one line. */
public class NetworkException extends RuntimeException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
