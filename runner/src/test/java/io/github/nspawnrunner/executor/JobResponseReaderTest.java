package io.github.nspawnrunner.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobResponseReaderTest {
    @TempDir
    Path dir;

    private JobResponse read(String json) throws IOException {
        Path file = dir.resolve("response.json");
        Files.writeString(file, json);
        return new JobResponseReader().read(file);
    }

    @Test
    void readsIdAndProjectSkippingEverythingElse() throws IOException {
        JobResponse job = read("""
                {"token":"t","variables":[{"key":"CI_JOB_ID","value":"999","id":5}],
                 "steps":[{"name":"script","script":["x"]}],"id":123,
                 "job_info":{"name":"n","id":7,"project_id":42,"nested":{"project_id":1}},
                 "image":{"name":"other"}}
                """);
        assertEquals(new JobResponse(123, OptionalLong.of(42)), job);
    }

    @Test
    void variablesCannotOverrideTheJobId() throws IOException {
        JobResponse job = read("{\"variables\":[{\"key\":\"id\",\"value\":\"1\"}],\"id\":77}");
        assertEquals(77, job.jobId());
        assertTrue(job.projectId().isEmpty());
    }

    @Test
    void missingIdIsASystemFailure() {
        ExecutorException e = assertThrows(ExecutorException.class, () -> read("{\"job_info\":{\"project_id\":1}}"));
        assertEquals(FailureKind.SYSTEM, e.kind());
        assertTrue(e.getMessage().contains("no positive numeric \"id\""), e.getMessage());
    }

    @Test
    void stringOrNegativeIdIsRefused() {
        assertThrows(ExecutorException.class, () -> read("{\"id\":\"12\"}"));
        assertThrows(ExecutorException.class, () -> read("{\"id\":-3}"));
    }

    @Test
    void invalidJsonIsOneLine() {
        ExecutorException e = assertThrows(ExecutorException.class, () -> read("{\"id\": 12,"));
        assertTrue(e.getMessage().startsWith("job response file "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void missingFileIsNamed() {
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> new JobResponseReader().read(dir.resolve("absent.json")));
        assertTrue(e.getMessage().contains("absent.json does not exist"), e.getMessage());
    }
}
