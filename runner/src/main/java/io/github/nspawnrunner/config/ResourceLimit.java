package io.github.nspawnrunner.config;

import java.util.Locale;

/**
 * A limit on a job's whole container, set on its unit. Each has a config key with an admin
 * default, a {@code <key>_allowed} maximum, and a job variable {@code NSPAWN_RUNNER_<KEY>} through
 * which a job may ask for another value up to that maximum. Values are kept as longs:
 * {@link #UNLIMITED} for "infinity", bytes for memory, percent of one CPU for the CPU quota.
 */
public enum ResourceLimit {
    MEMORY_MAX("80%", "a size such as 512M or 8G, a share of the host's memory such as 50%, or infinity"),
    CPU_QUOTA("infinity", "a share of one CPU such as 50% or 400%, or infinity"),
    TASKS_MAX("8192", "a whole number of processes and threads from 16, or infinity"),
    IO_WEIGHT("100", "a whole number from 1 to 10000 (systemd's IOWeight)");

    public static final long UNLIMITED = Long.MAX_VALUE;
    private static final long MIN_MEMORY = 32L << 20;
    private static final long MIN_TASKS = 16;

    private final String defaultValue;
    private final String expected;

    ResourceLimit(String defaultValue, String expected) {
        this.defaultValue = defaultValue;
        this.expected = expected;
    }

    /** The config key, e.g. memory_max. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The config key of the job's maximum, e.g. memory_max_allowed. */
    public String allowedKey() {
        return key() + "_allowed";
    }

    /** The job variable through which a job asks for another value, e.g. NSPAWN_RUNNER_MEMORY_MAX. */
    public String jobVariable() {
        return "NSPAWN_RUNNER_" + name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** What a value must look like, for error messages. */
    public String expected() {
        return expected;
    }

    /**
     * Parses TEXT; a share of memory is taken of HOSTMEMORY bytes.
     *
     * @throws IllegalArgumentException with {@link #expected()} when TEXT is not a valid value
     */
    public long parse(String text, long hostMemory) {
        String value = text.trim();
        if ("infinity".equals(value) && this != IO_WEIGHT) {
            return UNLIMITED;
        }
        long parsed = switch (this) {
            case MEMORY_MAX -> value.endsWith("%") ? percent(value, 100) * (hostMemory / 100) : size(value);
            case CPU_QUOTA -> value.endsWith("%") ? percent(value, 100_000) : invalid();
            case TASKS_MAX, IO_WEIGHT -> number(value);
        };
        boolean inRange = switch (this) {
            case MEMORY_MAX -> parsed >= MIN_MEMORY;
            case CPU_QUOTA -> parsed >= 1;
            case TASKS_MAX -> parsed >= MIN_TASKS;
            case IO_WEIGHT -> parsed >= 1 && parsed <= 10_000;
        };
        return inRange ? parsed : invalid();
    }

    /** VALUE as a person would write it: 4G, 200%, 8192, infinity. */
    public String format(long value) {
        if (value == UNLIMITED) {
            return "infinity";
        }
        return switch (this) {
            case MEMORY_MAX -> formatSize(value);
            case CPU_QUOTA -> value + "%";
            case TASKS_MAX, IO_WEIGHT -> Long.toString(value);
        };
    }

    private long size(String value) {
        if (value.isEmpty()) {
            return invalid();
        }
        char unit = Character.toUpperCase(value.charAt(value.length() - 1));
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        long number = number(shift == 0 ? value : value.substring(0, value.length() - 1));
        if (number > (UNLIMITED >> shift)) {
            return invalid();
        }
        return number << shift;
    }

    private long percent(String value, long most) {
        long percent = number(value.substring(0, value.length() - 1));
        return percent <= most ? percent : invalid();
    }

    private long number(String value) {
        if (!value.matches("[0-9]{1,15}")) {
            return invalid();
        }
        return Long.parseLong(value);
    }

    private long invalid() {
        throw new IllegalArgumentException(expected);
    }

    private static String formatSize(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
