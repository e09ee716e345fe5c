package io.github.nspawnrunner.lava;

import java.util.List;

/** The log lines LAVA served from some offset on, parsed, and the YAML text exactly as served. */
public record LogPage(List<LogLine> lines, String rawYaml) {
    public static final LogPage EMPTY = new LogPage(List.of(), "");

    public LogPage {
        lines = List.copyOf(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
