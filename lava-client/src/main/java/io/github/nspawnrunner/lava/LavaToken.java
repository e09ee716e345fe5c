package io.github.nspawnrunner.lava;

/**
 * A LAVA API token. Not a record on purpose: a record's generated toString would print it, and
 * any message or log line that formats an object must not be able to leak the token.
 */
public final class LavaToken {
    private final String value;

    private LavaToken(String value) {
        this.value = value;
    }

    /** Refuses values that would break the header; the message never repeats the value. */
    public static LavaToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new LavaInputException("LAVA_TOKEN is not set (a token of the LAVA user, from the server's API → Tokens page)");
        }
        String token = value.strip();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // the HTTP client would reject these with an exception that may quote the header's value
            if (c < 0x21 || c > 0x7e) {
                throw new LavaInputException("LAVA_TOKEN contains spaces or non-printable characters");
            }
        }
        return new LavaToken(token);
    }

    /** The value of the {@code Authorization} header LAVA's REST API expects. */
    String authorization() {
        return "Token " + value;
    }

    @Override
    public String toString() {
        return "LavaToken[hidden]";
    }
}
