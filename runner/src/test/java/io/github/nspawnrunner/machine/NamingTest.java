package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.executor.JobResponse;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NamingTest {
    private static JobResponse job(long id) {
        return new JobResponse(id, OptionalLong.empty());
    }

    @Test
    void machineAndUnitComeFromPrefixAndJobId() {
        MachineName machine = MachineName.of("nsr", job(4711));
        assertEquals("nsr-4711", machine.value());
        assertEquals("nsr-4711.service", machine.unit());
    }

    @Test
    void sameJobSameName_otherJobOrRunnerOtherName() {
        assertEquals(MachineName.of("nsr", job(1)), MachineName.of("nsr", job(1)));
        assertNotEquals(MachineName.of("nsr", job(1)), MachineName.of("nsr", job(2)));
        assertNotEquals(MachineName.of("nsr", job(1)), MachineName.of("ci2", job(1)));
    }

    @Test
    void jobFilesLiveUnderTheJobDir() {
        JobPaths paths = JobPaths.of(Path.of("/s/jobs"), MachineName.of("nsr", job(9)));
        assertEquals(Path.of("/s/jobs/nsr-9"), paths.jobDir());
        assertEquals(Path.of("/s/jobs/nsr-9/upper"), paths.upperDir());
        assertEquals(Path.of("/s/jobs/nsr-9/exchange"), paths.exchangeDir());
        assertEquals(paths.jobDir(), paths.consoleLog().getParent());
    }

    @Test
    void oddStageNamesAreRefused() {
        for (String stage : new String[] {"", "a b", "../x", "x.service", "a".repeat(65), "st\nage"}) {
            assertThrows(ExecutorException.class, () -> StageName.parse(stage), stage);
        }
    }
}
