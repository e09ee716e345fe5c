package io.github.nspawnrunner.lava;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * The text of a setting as the user wrote it, in a CI variable or on the command line, to its
 * value: one place, so a flag and its variable take the same values and are refused alike.
 */
public final class LavaValues {
    /** 1000 a second: more is no cap at all, and the budget keeps one timestamp per request of a minute. */
    public static final int MAX_REQUESTS_PER_MINUTE_LIMIT = 60_000;

    private LavaValues() {
    }

    /** Seconds as a decimal number, with an optional "s": "5", "0.5", "2s". WHAT names the setting in the error. */
    public static Duration seconds(String text, String what) {
        String value = text.strip();
        if (value.endsWith("s")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(86_400)) > 0) {
                throw new LavaInputException(what + " must be more than 0 and at most 86400 seconds, not '" + text + "'");
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            throw new LavaInputException(what + " must be a number of seconds, not '" + text + "'");
        }
    }

    /** CI variables are text: true/false, also yes/no and 1/0 as people write them; anything else is a mistake worth a line. */
    public static boolean bool(String text, String what) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new LavaInputException(what + " must be true or false, not '" + text + "'");
        };
    }

    public static int requestsPerMinute(String text, String what) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value > 0 && value <= MAX_REQUESTS_PER_MINUTE_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LavaInputException(what + " must be a whole number from 1 to " + MAX_REQUESTS_PER_MINUTE_LIMIT + ", not '" + text + "'");
    }
}
