package io.github.nspawnrunner.lava;

/** The user's input is wrong (file, settings): exit 2, and it is thrown before any request is sent. */
public final class LavaInputException extends RuntimeException {
    public LavaInputException(String message) {
        super(message);
    }

    public LavaInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
