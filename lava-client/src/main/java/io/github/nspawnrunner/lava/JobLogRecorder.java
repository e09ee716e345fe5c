package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's log as read so far: each page goes to the job's files, the offset of the next page
 * advances only after that, and LAVA's final job result line is remembered for the outcome.
 */
final class JobLogRecorder {
    private final JobFiles files;
    private final LogLineFormatter plain = new LogLineFormatter(false);
    private long nextLine;
    private LogLine jobResult;

    JobLogRecorder(JobFiles files) {
        this.files = files;
    }

    /** Where the next request for lines starts: the number of lines recorded. */
    long nextLine() {
        return nextLine;
    }

    Optional<LogLine> jobResult() {
        return Optional.ofNullable(jobResult);
    }

    /** Writes PAGE to the files and returns its lines in readable form, without colours. */
    List<String> record(LogPage page) {
        List<String> readable = new ArrayList<>(page.lines().size());
        for (LogLine line : page.lines()) {
            readable.add(plain.format(line));
            if (line.isJobResult()) {
                jobResult = line;
            }
        }
        files.append(page, readable);
        nextLine += page.lines().size();
        return readable;
    }
}
