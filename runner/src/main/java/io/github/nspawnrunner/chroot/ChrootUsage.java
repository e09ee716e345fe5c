package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which chroot version each job runs on: prepare writes the resolved directory into the job's
 * {@value #RECORD} file, and cleanup removes it with the job's directory.
 */
public final class ChrootUsage {
    public static final String RECORD = "chroot";
    /** An image job's second record: the default chroot version its helper container runs on. */
    public static final String HELPER_RECORD = "helper-chroot";
    private static final java.util.List<String> RECORDS = java.util.List.of(RECORD, HELPER_RECORD);

    private final Path jobsDir;

    public ChrootUsage(Path jobsDir) {
        this.jobsDir = jobsDir;
    }

    /** Number of jobs per chroot directory (resolved, real paths). */
    public Map<Path, Integer> jobsPerDirectory() {
        Map<Path, Integer> counts = new HashMap<>();
        try (Stream<Path> jobs = Files.list(jobsDir)) {
            jobs.forEach(job -> RECORDS.forEach(record -> readRecord(job.resolve(record))
                    .ifPresent(dir -> counts.merge(dir, 1, Integer::sum))));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + jobsDir + ": " + e.getMessage(), e);
        }
        return counts;
    }

    /** Points the records of jobs on FROM at TO, after FROM was moved there (caller holds the lock). */
    void relocate(Path from, Path to) throws IOException {
        try (Stream<Path> jobs = Files.list(jobsDir)) {
            for (Path job : jobs.toList()) {
                for (String record : RECORDS) {
                    if (readRecord(job.resolve(record)).filter(from::equals).isPresent()) {
                        Files.writeString(job.resolve(record), to + "\n");
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // no jobs, nothing to relocate
        }
    }

    /** Records that the job in JOBDIR runs on DIRECTORY (a chroot version, or an unpacked image's rootfs). */
    public static void record(Path jobDir, Path chrootDirectory) throws IOException {
        Files.writeString(jobDir.resolve(RECORD), chrootDirectory.toString() + "\n");
    }

    private static java.util.Optional<Path> readRecord(Path record) {
        try {
            return java.util.Optional.of(Path.of(Files.readString(record).trim()));
        } catch (IOException e) {
            // a job between mkdir and its record, or half cleaned up: it uses nothing yet / any more
            return java.util.Optional.empty();
        }
    }
}
