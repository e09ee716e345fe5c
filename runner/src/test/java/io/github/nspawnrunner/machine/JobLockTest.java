package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.chroot.LockProbe;
import io.github.nspawnrunner.testing.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLockTest {
    private static final JobOrigin ORIGIN = new JobOrigin(new MachineName("nsr-7"), 7,
            new BootId("0f0e6a1c-2b4d-4c1e-9a57-7d2f3c4b5a60"), Path.of("/tmp/ce/response.json"));

    @TempDir
    Path jobs;

    @Test
    void theJobDirectoryAppearsWithItsRecordAndItsLockHeldUntilPrepareLetsGo() throws Exception {
        Path jobDir = jobs.resolve("nsr-7");
        try (JobLock prepare = JobDirectory.createLocked(jobDir, ORIGIN)) {
            assertEquals(Optional.of(ORIGIN), JobOrigin.read(jobDir));
            try (Stream<Path> entries = Files.list(jobs)) {
                assertEquals(List.of(jobDir), entries.toList(), "the staging directory is left");
            }
            // another thread of this JVM (the service's collector) and another process (jobs gc)
            assertTrue(CompletableFuture.supplyAsync(() -> tryLock(jobDir)).get(10, TimeUnit.SECONDS));
            assertEquals("busy", probe(jobDir.resolve(JobLock.FILE_NAME)));
            assertThrows(IllegalStateException.class, () -> JobLock.acquire(jobDir), "a second channel would drop the lock");
        }
        assertFalse(CompletableFuture.supplyAsync(() -> tryLock(jobDir)).get(10, TimeUnit.SECONDS));
        assertEquals("locked", probe(jobDir.resolve(JobLock.FILE_NAME)));
    }

    /** Whether the lock is held by someone else: tries it and lets it go at once. */
    private static boolean tryLock(Path jobDir) {
        Optional<JobLock> lock = JobLock.tryAcquire(jobDir, jobDir.resolve(JobLock.FILE_NAME));
        lock.ifPresent(JobLock::close);
        return lock.isEmpty();
    }

    @Test
    void aCleanupWaitsForThePrepareOfItsJob() throws Exception {
        Path jobDir = jobs.resolve("nsr-7");
        CompletableFuture<Long> cleanupLocked;
        long released;
        try (JobLock prepare = JobDirectory.createLocked(jobDir, ORIGIN)) {
            AtomicReference<Thread> cleanupThread = new AtomicReference<>();
            cleanupLocked = CompletableFuture.supplyAsync(() -> {
                cleanupThread.set(Thread.currentThread());
                try (JobLock cleanup = JobLock.acquire(jobDir)) {
                    return System.nanoTime();
                }
            });
            assertTrue(Threads.awaitBlocked(cleanupThread::get), "the cleanup never blocked");
            assertFalse(cleanupLocked.isDone());
            released = System.nanoTime();
        }
        assertTrue(cleanupLocked.get(10, TimeUnit.SECONDS) >= released);
    }

    @Test
    void aJobWithoutLockFileIsNeverTakenByTheCollector() throws IOException {
        Path old = Files.createDirectories(jobs.resolve("nsr-8"));
        assertEquals(Optional.empty(), JobLock.tryAcquire(old, old.resolve(JobLock.FILE_NAME)));
        try (JobLock cleanup = JobLock.acquire(old)) {
            assertTrue(Files.isDirectory(old), "cleanup of a job without lock file goes on with the threads' lock");
        }
    }

    private static String probe(Path lockFile) throws IOException, InterruptedException {
        String classes;
        try {
            classes = Path.of(LockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes,
                LockProbe.class.getName(), lockFile.toString(), "exclusive").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        process.waitFor();
        return output;
    }
}
