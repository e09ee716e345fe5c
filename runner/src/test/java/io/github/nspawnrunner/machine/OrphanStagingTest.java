package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.common.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directories prepare makes before it renames them into place (no machine or unit can exist
 * for them, so no bus is needed here): a dead prepare's goes, one being made stays.
 */
class OrphanStagingTest {
    private static final BootId BOOT = new BootId("0f0e6a1c-2b4d-4c1e-9a57-7d2f3c4b5a60");

    @TempDir
    Path state;

    private OrphanCollector collector(RunnerConfig config) {
        return new OrphanCollector(config, null, null, new Log(System.err, false), BOOT);
    }

    @Test
    void aStagingDirectoryWhosePrepareDiedGoesAndOneBeingMadeStays() throws IOException {
        RunnerConfig config = new ConfigLoader(Map.of("NSPAWN_RUNNER_CONFIG", "/dev/null",
                "NSPAWN_RUNNER_STATE_DIR", state.toString())).load(null);
        Files.createDirectories(config.jobsDir());
        Path dead = staging(config, "nsr-1", "1-1");
        JobOrigin alive = origin("nsr-2", 2);
        try (JobLock preparing = JobLock.create(config.jobsDir().resolve("nsr-2"),
                Files.createDirectory(config.jobsDir().resolve(".nsr-2." + BOOT + ".1-2.new")).resolve(JobLock.FILE_NAME))) {
            alive.write(config.jobsDir().resolve(".nsr-2." + BOOT + ".1-2.new"));
            Path noRecordYet = Files.createDirectory(config.jobsDir().resolve(".nsr-3." + BOOT + ".1-3.new"));

            // on another thread, as in the executor service, where a prepare of this JVM holds the lock
            OrphanCollector.Result dryRun = CompletableFuture.supplyAsync(() -> collector(config).collect(true)).join();
            assertEquals(List.of(dead), dryRun.orphans().stream().map(OrphanCollector.Orphan::jobDir).toList());
            assertTrue(Files.isDirectory(dead));
            OrphanCollector.Result result = CompletableFuture.supplyAsync(() -> collector(config).collect(false)).join();
            assertEquals(List.of(dead), result.orphans().stream().map(OrphanCollector.Orphan::jobDir).toList());
            assertEquals(List.of(), result.failures());
            try (Stream<Path> left = Files.list(config.jobsDir())) {
                assertEquals(List.of(".nsr-2." + BOOT + ".1-2.new", noRecordYet.getFileName().toString()),
                        left.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    private static JobOrigin origin(String machine, long id) {
        return new JobOrigin(new MachineName(machine), id, BOOT, Path.of("/tmp/ce-" + id + "/response.json"));
    }

    /** What a prepare that died between making its directory and renaming it leaves. */
    private static Path staging(RunnerConfig config, String machine, String unique) throws IOException {
        Path dir = Files.createDirectory(config.jobsDir().resolve("." + machine + "." + BOOT + "." + unique + ".new"));
        Files.createFile(dir.resolve(JobLock.FILE_NAME));
        origin(machine, Long.parseLong(machine.substring(4))).write(dir);
        return dir;
    }
}
