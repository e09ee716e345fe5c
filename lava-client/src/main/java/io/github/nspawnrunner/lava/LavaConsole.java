package io.github.nspawnrunner.lava;

import io.github.nspawnrunner.common.Log;
import java.io.PrintStream;
import java.util.List;

/**
 * Where a command reports: job output on stdout (log lines, state changes, the summary), the
 * tool's own notes (retries, errors) on stderr through {@link Log}. COLOR only when stdout is a terminal.
 */
public record LavaConsole(PrintStream out, Log log, boolean color) {
    void print(String line) {
        out.println(line);
    }

    void print(List<String> lines) {
        lines.forEach(out::println);
        // a job script's output is read live, line by line, in GitLab's job log
        out.flush();
    }
}
