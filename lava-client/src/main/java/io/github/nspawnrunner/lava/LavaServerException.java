package io.github.nspawnrunner.lava;

/**
 * The server refused a request for good (wrong token, unknown job) or answered something we cannot
 * use: retrying would not help, so the command stops with exit 3. Messages never contain the token.
 */
public final class LavaServerException extends RuntimeException {
    public LavaServerException(String message) {
        super(message);
    }

    public LavaServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
