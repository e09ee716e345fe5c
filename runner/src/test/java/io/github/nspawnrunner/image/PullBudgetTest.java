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

/** The budget with a real tree and a free-space figure the test moves (another writer, a filling disk). */
class PullBudgetTest {
    @TempDir
    Path dir;

    private final AtomicLong usable = new AtomicLong(10L << 30);

    @Test
    void theTreeMayGrowToItsBudgetAndNoFurther() throws IOException {
        PullBudget budget = new PullBudget(dir, 4 << 20, usable::get, 1 << 20);
        Files.write(dir.resolve("a"), new byte[3 << 20]);
        usable.addAndGet(-(3L << 20));
        assertEquals(Optional.empty(), budget.breach());
        Files.write(dir.resolve("b"), new byte[2 << 20]);
        usable.addAndGet(-(2L << 20));
        assertEquals(Optional.of("it takes more than 4 MB, this runner's image_max_size"), budget.breach());
        assertFalse(budget.stoppedForTheDisk(), "the image's size: the job's fault");
    }

    @Test
    void otherWritersOnTheFilesystemAreNotCountedAgainstThePull() throws IOException {
        PullBudget budget = new PullBudget(dir, 4 << 20, usable::get, 1 << 20);
        Files.write(dir.resolve("a"), new byte[1 << 20]);
        usable.addAndGet(-(100L << 20)); // a job's build wrote 99 MB elsewhere meanwhile
        assertEquals(Optional.empty(), budget.breach(), "the walk finds 1 MB under the pull's dir");
        usable.addAndGet(-(2L << 20));
        assertEquals(Optional.empty(), budget.breach(), "within what the tree may still take since that walk: no walk");
    }

    @Test
    void aFillingDiskStopsThePullAsTheHostsTrouble() {
        PullBudget budget = new PullBudget(dir, Long.MAX_VALUE, usable::get, 1L << 30);
        assertEquals(Optional.empty(), budget.breach());
        usable.set(512L << 20);
        assertEquals(Optional.of("the filesystem of " + dir + " is down to 512 MB free (it keeps at least 1024 MB)"), budget.breach());
        assertTrue(budget.stoppedForTheDisk());
    }

    @Test
    void aTreeNotMadeYetTakesNothing() throws IOException {
        PullBudget budget = PullBudget.of(dir.resolve("rootfs"), 1 << 20);
        assertEquals(Optional.empty(), budget.breach());
    }
}
