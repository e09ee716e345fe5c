package io.github.nspawnrunner.it;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How a process ended and what it printed, with the time each stdout line arrived. */
public record ExecResult(int exitCode, List<Line> stdoutLines, List<String> stderrLines, Duration duration) {
    public record Line(String text, long arrivedMillis) {
    }

    public String stdout() {
        return stdoutLines.stream().map(Line::text).collect(Collectors.joining("\n"));
    }

    public String stderr() {
        return String.join("\n", stderrLines);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + duration.toMillis() + " ms\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }
}
