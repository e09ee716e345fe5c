package io.github.nspawnrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.common.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Session session(Path configFile) {
        return new Session(ExecutorEnvironment.from(Map.of("SYSTEM_FAILURE_EXIT_CODE", "7")),
                new Log(new PrintStream(err, true, StandardCharsets.UTF_8), false), System.out, configFile, null);
    }

    private Path badConfig() throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        Files.writeString(file, "memory_max = \"8X\"\n");
        return file;
    }

    private static int loadConfig(Session session) {
        session.config();
        return 0;
    }

    @Test
    void aBadConfigIsASystemFailureForGitlabRunnersCalls() throws IOException {
        assertEquals(7, session(badConfig()).guard(SessionTest::loadConfig));
        assertEquals("nspawn-runner: error: invalid memory_max \"8X\" in " + dir.resolve("nspawn-runner.toml")
                + ": expected a size such as 512M or 8G, a share of the host's memory such as 50%, or infinity\n", err.toString());
    }
}
