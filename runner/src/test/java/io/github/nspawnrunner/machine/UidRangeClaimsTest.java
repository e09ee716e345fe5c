package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.executor.JobResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidRangeClaimsTest {
    @TempDir
    Path state;

    private static MachineName machine(long id) {
        return MachineName.of("nsr", new JobResponse(id, OptionalLong.empty()));
    }

    @Test
    void eachJobGetsTheLowestFreeRangeAndCleanupFreesIt() {
        UidRangeClaims claims = new UidRangeClaims(state);
        assertEquals(new UidRange(0x70000000L), claims.claim(machine(1)));
        assertEquals(new UidRange(0x70010000L), claims.claim(machine(2)));
        assertTrue(claims.release(machine(1)));
        assertFalse(claims.release(machine(1)));
        assertEquals(new UidRange(0x70000000L), claims.claim(machine(3)));
        assertEquals(new UidRange(0x70020000L), claims.claim(machine(4)));
    }

    @Test
    void releaseWithoutAnyClaimIsNothing() {
        assertFalse(new UidRangeClaims(state).release(machine(9)));
    }

    @Test
    void concurrentClaimsNeverShareARange() throws Exception {
        UidRangeClaims claims = new UidRangeClaims(state);
        Set<UidRange> ranges = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        IntStream.range(0, 64).forEach(i -> pool.submit(() -> ranges.add(claims.claim(machine(100 + i)))));
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(64, ranges.size());
        try (var links = Files.list(state.resolve("uid-ranges"))) {
            assertEquals(64, links.count());
        }
    }

    @Test
    void whenEveryRangeIsTakenPrepareSaysSo() throws Exception {
        Files.createDirectories(state.resolve("uid-ranges"));
        for (int slot = 0; slot < UidRange.SLOTS; slot++) {
            Files.createSymbolicLink(state.resolve("uid-ranges/" + slot), Path.of("nsr-" + slot));
        }
        ExecutorException e = assertThrows(ExecutorException.class, () -> new UidRangeClaims(state).claim(machine(1)));
        assertTrue(e.getMessage().contains("all 1024 uid ranges"), e.getMessage());
    }

    @Test
    void rangesAreWholeBlocksAboveNspawnsOwn() {
        assertEquals("1879113728:65536", new UidRange(0x70010000L).nspawnValue());
        assertEquals(1879113728L + 1000, new UidRange(0x70010000L).hostId(1000));
        for (long bad : List.of(0L, 0x6FFF0000L, 0x70000001L, 0x70000000L + UidRange.SLOTS * UidRange.SIZE)) {
            assertThrows(IllegalArgumentException.class, () -> new UidRange(bad));
        }
    }
}
