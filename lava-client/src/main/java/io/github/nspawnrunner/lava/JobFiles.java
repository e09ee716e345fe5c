package io.github.nspawnrunner.lava;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A job's files in the working directory, for GitLab's {@code artifacts:}:
 * {@code lava-<id>.yaml} (the log exactly as LAVA serves it), {@code lava-<id>.log} (the readable
 * form printed while following) and {@code lava-<id>-junit.xml} (LAVA's results, when it has any).
 * Logs are appended page by page as they arrive, so an interrupted command leaves what it had.
 */
public record JobFiles(Path dir, long jobId) {
    public Path rawLog() {
        return dir.resolve("lava-" + jobId + ".yaml");
    }

    public Path readableLog() {
        return dir.resolve("lava-" + jobId + ".log");
    }

    public Path junit() {
        return dir.resolve("lava-" + jobId + "-junit.xml");
    }

    /** Before anything is sent: a command that cannot keep the logs should not start a job. */
    static void requireWritable(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new LavaInputException("cannot write the job's log files in " + dir + " (not a writable directory)");
        }
    }

    /** Empties the logs of an earlier run, so that pages are never appended twice. */
    void start() {
        write(rawLog(), "", StandardOpenOption.TRUNCATE_EXISTING);
        write(readableLog(), "", StandardOpenOption.TRUNCATE_EXISTING);
    }

    void append(LogPage page, List<String> readableLines) {
        write(rawLog(), page.rawYaml(), StandardOpenOption.APPEND);
        StringBuilder text = new StringBuilder();
        readableLines.forEach(line -> text.append(line).append('\n'));
        write(readableLog(), text.toString(), StandardOpenOption.APPEND);
    }

    void writeJunit(String xml) {
        write(junit(), xml, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void write(Path file, String text, StandardOpenOption mode) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
