package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import io.github.nspawnrunner.executor.JobResponse;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceClaimsTest {
    private static final JobDevice SERIAL = new JobDevice(Path.of("/dev/serial/by-id/board-a"), Path.of("/dev/ttyUSB0"), false);
    private static final JobDevice KVM = new JobDevice(Path.of("/dev/kvm"), Path.of("/dev/kvm"), true);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), false);

    private static MachineName machine(long id) {
        return MachineName.of("nsr", new JobResponse(id, OptionalLong.empty()));
    }

    @Test
    void anExclusiveDeviceIsHeldByOneJobUntilItsCleanupAndASharedOneByAny() throws Exception {
        DeviceClaims claims = new DeviceClaims(dir);
        claims.claim(machine(1), List.of(SERIAL, KVM), Duration.ofSeconds(5), log, "job 1");
        assertEquals(List.of(Path.of("/dev/ttyUSB0")), claims.heldBy(machine(1)), "a shared device is not claimed");
        CompletableFuture<Void> second = CompletableFuture.runAsync(
                () -> claims.claim(machine(2), List.of(KVM, SERIAL), Duration.ofSeconds(20), log, "job 2"));
        String waiting = Poll.until(Duration.ofSeconds(10), () -> logged.toString(StandardCharsets.UTF_8),
                log -> log.contains("job 2: waiting for device /dev/ttyUSB0, held by machine nsr-1"));
        assertTrue(waiting.contains("job 2: waiting for device /dev/ttyUSB0, held by machine nsr-1"), waiting);
        assertFalse(second.isDone(), "the second job got a device the first one holds");
        assertTrue(claims.release(machine(1)));
        second.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(Path.of("/dev/ttyUSB0")), claims.heldBy(machine(2)));
        assertFalse(claims.release(machine(1)), "released twice");
    }

    @Test
    void aJobThatWaitsTooLongFailsAsASystemFailureNamingTheHolder() {
        DeviceClaims claims = new DeviceClaims(dir);
        claims.claim(machine(1), List.of(SERIAL), Duration.ofSeconds(5), log, "job 1");
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> claims.claim(machine(2), List.of(SERIAL), Duration.ofMillis(300), log, "job 2"));
        assertEquals(FailureKind.SYSTEM, e.kind());
        assertTrue(e.getMessage().startsWith("job 2 waited 0 s for device /dev/ttyUSB0, held by machine nsr-1"), e.getMessage());
        assertEquals(List.of(), claims.heldBy(machine(2)));
    }

    @Test
    void aRetriedPrepareOfTheSameJobKeepsItsDevice() {
        DeviceClaims claims = new DeviceClaims(dir);
        claims.claim(machine(1), List.of(SERIAL), Duration.ofSeconds(5), log, "job 1");
        claims.claim(machine(1), List.of(SERIAL), Duration.ofMillis(1), log, "job 1");
        assertEquals(List.of(Path.of("/dev/ttyUSB0")), claims.heldBy(machine(1)));
    }
}
