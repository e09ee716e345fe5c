package io.github.nspawnrunner.chroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.testing.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock as the executor service uses it: many threads of one JVM. The kernel's side is read
 * from /proc/locks, where every POSIX lock of this process on the lock file's inode is listed.
 */
class ChrootLockTest {
    @TempDir
    Path tmp;

    private ChrootLayout layout;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws IOException {
        layout = ChrootLayout.canonical(Files.createDirectories(tmp.resolve("chroots")));
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** This process's POSIX locks on the lock file: "READ", "WRITE", or none. */
    private List<String> kernelLocks() throws IOException {
        Object inode = Files.readAttributes(layout.lockFile(), BasicFileAttributes.class).fileKey();
        String ino = inode.toString().replaceAll(".*ino=(\\d+).*", "$1");
        String pid = Long.toString(ProcessHandle.current().pid());
        List<String> locks = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] f = line.trim().split("\\s+");
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 0 EOF"
            if (f.length >= 6 && f[1].equals("POSIX") && f[4].equals(pid) && f[5].endsWith(":" + ino)) {
                locks.add(f[3]);
            }
        }
        return locks;
    }

    /** What another process gets when it tries the lock now: "locked" or "busy". */
    private String otherProcessTries(String mode) throws Exception {
        String classes = Path.of(LockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes,
                LockProbe.class.getName(), layout.lockFile().toString(), mode).redirectErrorStream(true).start();
        String answer = new String(probe.getInputStream().readAllBytes()).trim();
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        return answer;
    }

    @Test
    void whileAnyThreadHoldsItSharedAnotherProcessCanShareButNotTakeItExclusive() throws Exception {
        try (ChrootLock first = ChrootLock.shared(layout)) {
            threads.submit(() -> {
                ChrootLock.shared(layout).close();
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertEquals("busy", otherProcessTries("exclusive"));
            assertEquals("locked", otherProcessTries("shared"));
        }
        assertEquals("locked", otherProcessTries("exclusive"));
        try (ChrootLock exclusive = ChrootLock.exclusive(layout)) {
            assertEquals("busy", otherProcessTries("shared"));
        }
    }

    @Test
    void aLockFileMadeAnewIsLockedAnewNotThroughTheOldChannel() throws Exception {
        ChrootLock.shared(layout).close();
        Files.delete(layout.lockFile());
        try (ChrootLock again = ChrootLock.exclusive(layout)) {
            assertTrue(Files.exists(layout.lockFile()));
            assertEquals("busy", otherProcessTries("shared"), "locked an unlinked file: other processes are not excluded");
        }
    }

    @Test
    void threadsShareTheLockAndOneThreadLettingGoKeepsTheKernelLockForTheOthers() throws Exception {
        try (ChrootLock first = ChrootLock.shared(layout)) {
            Future<?> second = threads.submit(() -> {
                ChrootLock.shared(layout).close();
                return null;
            });
            second.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("READ"), kernelLocks(), "the second thread's release dropped the first one's lock");
        }
        assertEquals(List.of(), kernelLocks());
    }

    @Test
    void tryingItExclusiveNeverWaitsForAHolderInThisJvmOrAnother() throws Exception {
        Future<Boolean> whileHeld;
        try (ChrootLock held = ChrootLock.shared(layout)) {
            whileHeld = threads.submit(() -> ChrootLock.tryExclusive(layout).isPresent());
            assertEquals(false, whileHeld.get(10, TimeUnit.SECONDS), "granted while another thread held it shared");
        }
        try (ChrootLock free = ChrootLock.tryExclusive(layout).orElseThrow()) {
            assertEquals(List.of("WRITE"), kernelLocks());
            assertEquals("busy", otherProcessTries("shared"));
        }
        assertEquals(List.of(), kernelLocks());
        assertEquals("locked", otherProcessTries("exclusive"));
    }

    @Test
    void exclusiveWaitsForEverySharedHolderInTheJvm() throws Exception {
        CountDownLatch sharedHeld = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            holders.add(threads.submit(() -> {
                try (ChrootLock ignored = ChrootLock.shared(layout)) {
                    sharedHeld.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        assertTrue(sharedHeld.await(10, TimeUnit.SECONDS));
        AtomicReference<Thread> exclusiveThread = new AtomicReference<>();
        Future<List<String>> exclusive = threads.submit(() -> {
            exclusiveThread.set(Thread.currentThread());
            try (ChrootLock ignored = ChrootLock.exclusive(layout)) {
                return kernelLocks();
            }
        });
        assertTrue(Threads.awaitBlocked(exclusiveThread::get), "the exclusive lock never blocked");
        assertFalse(exclusive.isDone(), "exclusive granted while shared holders remained");
        release.countDown();
        for (Future<?> holder : holders) {
            holder.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("WRITE"), exclusive.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), kernelLocks());
    }
}
