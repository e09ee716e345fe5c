package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What prepare records in the job's directory ({@value #FILE_NAME}) so that the directory can be
 * judged without gitlab-runner: which machine and job it is, the boot it was made in, and where
 * the job's JOB_RESPONSE_FILE is (its stage target file lies beside it, in gitlab-runner's per-job
 * temp dir, which goes when the job ends).
 */
public record JobOrigin(MachineName machine, long jobId, BootId bootId, Path jobResponseFile, JobLabels labels) {
    static final String FILE_NAME = "origin";

    /** A record without labels, as an older nspawn-runner wrote it. */
    JobOrigin(MachineName machine, long jobId, BootId bootId, Path jobResponseFile) {
        this(machine, jobId, bootId, jobResponseFile, JobLabels.UNKNOWN);
    }

    static JobOrigin of(JobContext context, BootId bootId, JobLabels labels) {
        return new JobOrigin(context.machine(), context.job().jobId(), bootId,
                context.environment().requireJobResponseFile().toAbsolutePath(), labels);
    }

    /** The stage target file of the job: while it exists, gitlab-runner still runs the job (or has yet to clean it up). */
    Path stageTargetFile() {
        return StageTarget.fileFor(jobResponseFile);
    }

    String text() {
        return "machine=" + machine + "\njob=" + jobId + "\nboot_id=" + bootId + "\njob_response_file=" + jobResponseFile + "\n"
                + labels.text();
    }

    void write(Path jobDir) {
        Path file = jobDir.resolve(FILE_NAME);
        try {
            Files.writeString(file, text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ExecutorException.system("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The record in JOBDIR; empty when there is none or it is not one prepare wrote whole. */
    static Optional<JobOrigin> read(Path jobDir) {
        try {
            return parse(Files.readString(jobDir.resolve(FILE_NAME), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The record of the job whose directory JOBDIR is (named after its machine); empty also when
     * the record names another machine, as in a job directory copied or renamed by hand.
     */
    static Optional<JobOrigin> readOwn(Path jobDir) {
        return read(jobDir).filter(origin -> origin.machine().value().equals(jobDir.getFileName().toString()));
    }

    static Optional<JobOrigin> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        try {
            return Optional.of(new JobOrigin(new MachineName(Objects.requireNonNull(values.get("machine"))),
                    Long.parseLong(values.get("job")), new BootId(values.get("boot_id")), Path.of(values.get("job_response_file")),
                    JobLabels.from(values)));
        } catch (RuntimeException e) {
            // cut short (the host crashed while prepare wrote it) or not ours: judged as no record
            return Optional.empty();
        }
    }
}
