package io.github.nspawnrunner.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One key's value and where it came from. From the config file it is what TOML gave (a String,
 * Long, Boolean or List of Strings, or any TOML value for an error); from an environment variable or
 * the default it is text, a list being comma-separated.
 *
 * @param origin the file, or the environment variable, named in error messages
 */
record Setting(ConfigKey key, Object value, String origin) {
    /** The origin of a key that neither the file nor the environment sets. */
    static final String DEFAULT = "the default";

    boolean isDefault() {
        return DEFAULT.equals(origin);
    }

    String text() {
        return value.toString();
    }

    List<String> items() {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(item.toString().trim());
            }
            return items;
        }
        List<String> items = new ArrayList<>();
        for (String item : text().split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    ConfigException invalid() {
        return invalid(value);
    }

    /** The error for a value of another TOML type than the key takes. */
    ConfigException wrongType() {
        return invalid(key, shown(value), origin, key.expected() + " (" + key.tomlType() + ")");
    }

    /** The error for SHOWN (this setting's value or one item of it): what is allowed instead. */
    ConfigException invalid(Object shown) {
        return invalid(key, shown(shown), origin, key.expected());
    }

    static ConfigException invalid(ConfigKey key, String shown, String origin, String expected) {
        return new ConfigException("invalid " + key.fileKey() + " " + shown + " in " + origin + ": expected " + expected);
    }

    /** As TOML would write it: strings quoted, so that an empty or blank value shows. */
    static String shown(Object value) {
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(shown(item));
            }
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof Map<?, ?> table) {
            List<String> entries = new ArrayList<>();
            for (Map.Entry<?, ?> entry : table.entrySet()) {
                entries.add(entry.getKey() + " = " + shown(entry.getValue()));
            }
            return "{ " + String.join(", ", entries) + " }";
        }
        if (value instanceof BigDecimal decimal) {
            // TOML's 100.0 arrives as 1E+2: show it as a float again
            return decimal.scale() <= 0 ? decimal.toBigInteger() + ".0" : decimal.toPlainString();
        }
        return String.valueOf(value);
    }
}
