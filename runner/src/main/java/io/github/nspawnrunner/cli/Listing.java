package io.github.nspawnrunner.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A listing's columns, defined once: the table people read (like `machinectl list`) and the JSON
 * scripts read come from the same definition, so the two never disagree on what a row holds.
 */
final class Listing<T> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** A fact about a row: VALUE is what the JSON holds (null when unknown), TEXT how the table shows it. */
    record Column<T>(String header, String key, Function<T, Object> value, Function<T, String> text) {
        /** Shown as it is, "-" when unknown. */
        static <T> Column<T> of(String header, String key, Function<T, Object> value) {
            return new Column<>(header, key, value, row -> {
                Object fact = value.apply(row);
                return fact == null || "".equals(fact) ? "-" : String.valueOf(fact);
            });
        }

        /** In the JSON only: a column without header. */
        static <T> Column<T> jsonOnly(String key, Function<T, Object> value) {
            return new Column<>(null, key, value, row -> "");
        }
    }

    private final String noun;
    private final List<Column<T>> columns;

    /** NOUN names the rows in the footer: "3 jobs listed." */
    Listing(String noun, List<Column<T>> columns) {
        this.noun = noun;
        this.columns = List.copyOf(columns);
    }

    void print(PrintStream out, List<T> rows, ListingOptions options) {
        if (options.json) {
            printJson(out, rows);
        } else {
            printTable(out, rows, !options.noLegend);
        }
    }

    void printJson(PrintStream out, List<T> rows) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (T row : rows) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (Column<T> column : columns) {
                object.put(column.key(), column.value().apply(row));
            }
            objects.add(object);
        }
        JsonOutput.print(out, objects);
    }

    void printTable(PrintStream out, List<T> rows, boolean legend) {
        List<Column<T>> shown = columns.stream().filter(column -> column.header() != null).toList();
        List<List<String>> lines = new ArrayList<>();
        if (legend) {
            lines.add(shown.stream().map(Column::header).toList());
        }
        for (T row : rows) {
            lines.add(shown.stream().map(column -> column.text().apply(row)).toList());
        }
        int[] widths = new int[shown.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + widths[i] + "s", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
        if (legend) {
            out.printf("%n%d %s listed.%n", rows.size(), noun);
        }
    }

    /** "4.2s", "3m07s", "2h05m": what a glance needs. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** Binary units, as systemctl status shows memory: "512.0K", "118.3M", "1.5G". */
    static String bytes(long bytes) {
        String units = "BKMGT";
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.1f%c", value, units.charAt(unit));
    }

    /** A point in time to the minute, in UTC: "2026-11-30 14:05". */
    static String time(Instant instant) {
        return TIME.format(instant);
    }
}
