package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a real process's /proc directory, as the service reads its caller's. */
class CallerProcessTest {
    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(String... environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("sleep", "60"));
        builder.environment().clear();
        for (String entry : environment) {
            String[] parts = entry.split("=", 2);
            builder.environment().put(parts[0], parts[1]);
        }
        child = builder.start();
        return child;
    }

    @Test
    void readsTheEnvironmentTheProcessWasStartedWithValuesWithEqualsSignsAndNewlinesIncluded() throws IOException {
        Process process = start("JOB_RESPONSE_FILE=/tmp/x/response.json", "CUSTOM_ENV_TOKEN=a=b\nc", "EMPTY=");
        try (CallerProcess caller = CallerProcess.open(PROC, process.pid())) {
            var environment = caller.environment();
            assertEquals("/tmp/x/response.json", environment.get("JOB_RESPONSE_FILE"));
            assertEquals("a=b\nc", environment.get("CUSTOM_ENV_TOKEN"));
            assertEquals("", environment.get("EMPTY"));
            assertEquals(3, environment.size(), environment.toString());
        }
    }

    @Test
    void knowsTheEffectiveUidAndWhatExistsInTheProcesssViewOfTheFiles() throws IOException {
        Process process = start("A=1");
        try (CallerProcess caller = CallerProcess.open(PROC, process.pid())) {
            assertEquals(new com.sun.security.auth.module.UnixSystem().getUid(), caller.effectiveUid());
            assertTrue(caller.sees(dir.toString()));
            assertFalse(caller.sees(dir.resolve("missing").toString()));
        }
    }

    @Test
    void aProcessThatEndedCannotBeReadThroughItsOpenDirectorySoARecycledPidIsNeverRead() throws Exception {
        Process process = start("A=1");
        try (CallerProcess caller = CallerProcess.open(PROC, process.pid())) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThrows(IOException.class, caller::environment);
            assertThrows(IOException.class, caller::effectiveUid);
        }
    }

    @Test
    void noPidOrAPidWithoutAProcessIsAnIoError() {
        assertThrows(IOException.class, () -> CallerProcess.open(PROC, 0));
        assertThrows(IOException.class, () -> CallerProcess.open(PROC, Integer.MAX_VALUE));
    }
}
