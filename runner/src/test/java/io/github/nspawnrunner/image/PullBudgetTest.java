package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budget with a real tree, and free space and time that the test moves (other writers, a filling disk). */
class PullBudgetTest {
    private static final String OVER_4_MB = "it takes more than 4 MB, this runner's image_max_size";

    @TempDir
    Path dir;

    private final AtomicLong usable = new AtomicLong(10L << 30);
    private final AtomicLong nanos = new AtomicLong();

    private PullBudget budget(long maxBytes, long floor) {
        return new PullBudget(dir, maxBytes, usable::get, floor, nanos::get);
    }

    private void write(String name, int bytes) throws IOException {
        Files.write(dir.resolve(name), new byte[bytes]);
        usable.addAndGet(-bytes);
    }

    @Test
    void theTreeMayGrowToItsBudgetAndNoFurther() throws IOException {
        PullBudget budget = budget(4 << 20, 1 << 20);
        write("a", 3 << 20);
        assertEquals(Optional.empty(), budget.breach());
        write("b", 2 << 20);
        assertEquals(Optional.of(OVER_4_MB), budget.breach());
        assertFalse(budget.stoppedForTheDisk(), "the image's size: the job's fault");
    }

    @Test
    void otherWritersOnTheFilesystemAreNotCountedAgainstThePull() throws IOException {
        PullBudget budget = budget(4 << 20, 1 << 20);
        Files.write(dir.resolve("unseen"), new byte[20 << 20]);
        assertEquals(Optional.empty(), budget.breach(), "free space unmoved, interval not passed: no walk yet");
        Files.delete(dir.resolve("unseen"));
        write("a", 1 << 20);
        usable.addAndGet(-(100L << 20)); // a job's build wrote 100 MB elsewhere meanwhile
        assertEquals(Optional.empty(), budget.breach(), "the walk finds 1 MB under the pull's dir");
        write("b", 1 << 20);
        assertEquals(Optional.empty(), budget.breach());
    }

    @Test
    void spaceFreedElsewhereDoesNotHideTheTreesGrowthForLong() throws IOException {
        PullBudget budget = budget(4 << 20, 1 << 20);
        write("a", 20 << 20);
        usable.addAndGet(20L << 20); // an eviction freed as much meanwhile: the free space did not move
        assertEquals(Optional.empty(), budget.breach(), "not walked yet");
        nanos.addAndGet(PullBudget.WALK_EVERY_NANOS);
        assertEquals(Optional.of(OVER_4_MB), budget.breach(), "walked once the interval passed");
    }

    @Test
    void anUnreadableFreeSpaceWalksEveryTime() throws IOException {
        PullBudget budget = new PullBudget(dir, 4 << 20, () -> -1, 1 << 20, nanos::get);
        Files.write(dir.resolve("a"), new byte[20 << 20]);
        assertEquals(Optional.of(OVER_4_MB), budget.breach());
    }

    @Test
    void freeSpaceReadableAgainAfterAFailedReadStillMakesTheNextLookWalk() throws IOException {
        AtomicLong flaky = new AtomicLong(-1);
        PullBudget budget = new PullBudget(dir, 4 << 20, flaky::get, 1 << 20, nanos::get);
        assertEquals(Optional.empty(), budget.breach(), "walked: nothing there yet");
        flaky.set(10L << 30);
        Files.write(dir.resolve("a"), new byte[20 << 20]);
        assertEquals(Optional.of(OVER_4_MB), budget.breach(), "no baseline from an unreadable look: walked again");
    }

    @Test
    void aToolThatEndedBetweenTwoLooksIsCheckedOnceMore() throws IOException {
        PullBudget budget = budget(4 << 20, 1 << 20);
        Files.write(dir.resolve("a"), new byte[20 << 20]);
        assertEquals(Optional.empty(), budget.breach(), "not due");
        assertEquals(Optional.of(OVER_4_MB), budget.breachNow());
    }

    @Test
    void theFloorHoldsDuringALongWalk() throws IOException {
        AtomicLong looks = new AtomicLong();
        // plenty of room at the look, none left by the time the walk has counted FLOOR_EVERY_ENTRIES entries
        PullBudget budget = new PullBudget(dir, 1L << 40, () -> looks.incrementAndGet() == 1 ? 10L << 30 : 1 << 20, 1L << 30,
                nanos::get);
        for (int i = 0; i < PullBudget.FLOOR_EVERY_ENTRIES + 10; i++) {
            Files.createFile(dir.resolve("f" + i));
        }
        Optional<String> breach = budget.breachNow();
        assertTrue(breach.isPresent() && breach.get().contains("is down to 1 MB free"), breach.toString());
        assertTrue(budget.stoppedForTheDisk());
    }

    @Test
    void hugeSizesSaturateInsteadOfWrapping() {
        assertEquals(4096, PullBudget.charged(0));
        assertEquals(8192, PullBudget.charged(4097));
        assertEquals(Long.MAX_VALUE, PullBudget.charged(Long.MAX_VALUE - 100));
        long nearTheTop = (Long.MAX_VALUE / 4096 - 2) * 4096 + 1;
        assertEquals(nearTheTop - 1 + 4096, PullBudget.charged(nearTheTop), "rounded up to the block, not wrapped");
    }

    @Test
    void emptyFilesAndDirectoriesCountABlockEach() throws IOException {
        PullBudget budget = budget(4 << 20, 1 << 20);
        for (int i = 0; i < 600; i++) {
            Files.createFile(Files.createDirectory(dir.resolve("d" + i)).resolve("f"));
        }
        nanos.addAndGet(PullBudget.WALK_EVERY_NANOS); // their sizes never move the free space: the interval's walk
        assertEquals(Optional.of(OVER_4_MB), budget.breach(), "1200 entries of 4 KB: 4.7 MB");
    }

    @Test
    void anEntryIsChargedItsSizeInWholeBlocksAndAtLeastOne() throws IOException {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.createFile(tree.resolve("empty"));
        Files.write(tree.resolve("small"), new byte[5000]);
        Files.createDirectory(tree.resolve("sub"));
        assertEquals(4096 + 4096 + 8192 + 4096, PullBudget.charge(tree, Long.MAX_VALUE), "tree, empty, small (2 blocks), sub");
        assertTrue(PullBudget.charge(tree, 4096) < 20480, "stops counting past the limit");
    }

    @Test
    void aFillingDiskStopsThePullAsTheHostsTrouble() {
        PullBudget budget = budget(Long.MAX_VALUE, 1L << 30);
        assertEquals(Optional.empty(), budget.breach());
        usable.set(512L << 20);
        assertEquals(Optional.of("the filesystem of " + dir + " is down to 512 MB free (it keeps at least 1024 MB)"), budget.breach());
        assertTrue(budget.stoppedForTheDisk());
    }

    @Test
    void aTreeNotMadeYetTakesNothing() throws IOException {
        PullBudget budget = PullBudget.of(dir.resolve("rootfs"), 1 << 20);
        assertEquals(Optional.empty(), budget.breach());
        assertEquals(0, PullBudget.charge(dir.resolve("rootfs"), Long.MAX_VALUE));
    }
}
