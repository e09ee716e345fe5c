package io.github.nspawnrunner.lava;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The readable form of a log line: {@code HH:MM:SS LEVEL message}. Results, errors and warnings
 * get upper-case markers so they stand out in a plain CI log and can be grepped; on a terminal
 * they are coloured as well.
 */
final class LogLineFormatter {
    private static final Set<String> ERROR_LEVELS = Set.of("error", "exception");
    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[1;31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";

    private final boolean color;

    LogLineFormatter(boolean color) {
        this.color = color;
    }

    String format(LogLine line) {
        String marker;
        String text;
        String paint = null;
        if (line.isResult()) {
            marker = "RESULT";
            text = result(line.fields(), line.message());
            String outcome = line.fields().getOrDefault("result", "");
            paint = "pass".equals(outcome) ? GREEN : "fail".equals(outcome) ? RED : YELLOW;
        } else if (ERROR_LEVELS.contains(line.level())) {
            marker = "ERROR";
            text = line.message();
            paint = RED;
        } else if ("warning".equals(line.level())) {
            marker = "WARNING";
            text = line.message();
            paint = YELLOW;
        } else {
            marker = line.level().toLowerCase(Locale.ROOT);
            text = line.message();
        }
        String body = String.format(Locale.ROOT, "%-8s %s", marker, text);
        return time(line.dt()) + " " + (color && paint != null ? paint + body + RESET : body);
    }

    /** "lava/login-action: pass (12.3 seconds)", plus LAVA's error type and message for the job's own result. */
    private static String result(Map<String, String> fields, String raw) {
        if (!fields.containsKey("case")) {
            return raw;
        }
        StringBuilder text = new StringBuilder();
        if (fields.containsKey("definition")) {
            text.append(fields.get("definition")).append('/');
        }
        text.append(fields.get("case")).append(": ").append(fields.getOrDefault("result", "?"));
        if (fields.containsKey("measurement")) {
            text.append(" (").append(fields.get("measurement"));
            if (fields.containsKey("units")) {
                text.append(' ').append(fields.get("units"));
            }
            text.append(')');
        }
        if (fields.containsKey("error_type")) {
            text.append(" [").append(fields.get("error_type"));
            if (fields.containsKey("error_msg")) {
                text.append(": ").append(fields.get("error_msg"));
            }
            text.append(']');
        }
        return text.toString();
    }

    /** LAVA's dt is "2023-01-10T12:00:01.123456": the time of day is what a reader needs. */
    private static String time(String dt) {
        int t = dt.indexOf('T');
        String time = t < 0 ? dt : dt.substring(t + 1);
        int fraction = time.indexOf('.');
        time = fraction < 0 ? time : time.substring(0, fraction);
        return time.isEmpty() ? "--:--:--" : time;
    }
}
