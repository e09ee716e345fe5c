package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input: one line on stderr, exit 2, and not a single request to the server. */
class BadInputTest extends LavaBenchTest {
    @BeforeEach
    void start() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
        bench.file("jobs.json", "{\"jobids\": [1, \"2\"]}");
        Files.createDirectory(dir.resolve("a-directory"));
    }

    private static Arguments submit(String file, String content, String message) {
        return Arguments.of("submit", file, content, (Consumer<LavaTestBench>) b -> { }, message);
    }

    private static Arguments monitor(String file, String content, String message) {
        return Arguments.of("monitor-file", file, content, (Consumer<LavaTestBench>) b -> { }, message);
    }

    private static Arguments setting(String command, Consumer<LavaTestBench> change, String message) {
        return Arguments.of(command, command.equals("submit") ? "job.yaml" : "jobs.json", null, change, message);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                submit("missing.yaml", null, "job definition file missing.yaml does not exist"),
                submit("a-directory", null, "job definition file a-directory is a directory"),
                submit("empty.yaml", "  \n", "job definition file empty.yaml is empty"),
                submit("broken.yaml", "device_type: qemu\nactions: [boot\n", "job definition broken.yaml is not valid YAML"),
                submit("list.yaml", "- device_type: qemu\n", "job definition list.yaml is not a YAML mapping"),
                submit("scalar.yaml", "just words\n", "job definition scalar.yaml is not a YAML mapping"),
                monitor("missing.json", null, "job ids file missing.json does not exist"),
                monitor("broken.json", "{\"jobids\": [1,", "job ids file broken.json is not valid JSON"),
                monitor("other.json", "{\"ids\": [1]}", "job ids file other.json must hold {\"jobids\": [...]}"),
                monitor("list.json", "[1, 2]", "job ids file list.json must hold {\"jobids\": [...]}"),
                monitor("empty.json", "{\"jobids\": []}", "job ids file empty.json lists no jobs"),
                monitor("words.json", "{\"jobids\": [1, \"latest\"]}", "job ids file words.json: \"latest\" is not a LAVA job id"),
                monitor("zero.json", "{\"jobids\": [0]}", "job ids file zero.json: 0 is not a LAVA job id"),
                monitor("float.json", "{\"jobids\": [1.5]}", "job ids file float.json: 1.5 is not a LAVA job id"),
                setting("submit", b -> b.environment.remove("LAVA_URL"), "LAVA_URL is not set"),
                setting("monitor-file", b -> b.environment.remove("LAVA_TOKEN"), "LAVA_TOKEN is not set"),
                setting("submit", b -> b.environment.put("LAVA_TOKEN", " "), "LAVA_TOKEN is not set"),
                setting("submit", b -> b.environment.put("LAVA_TOKEN", "two words"), "LAVA_TOKEN contains spaces"),
                setting("submit", b -> b.environment.put("LAVA_URL", "ftp://lava.example.org"), "LAVA_URL must start with http:// or https://"),
                setting("submit", b -> b.environment.put("LAVA_URL", "lava.example.org"), "LAVA_URL must start with http:// or https://"),
                setting("submit", b -> b.environment.put("LAVA_URL", b.server.url().replace("//", "//user:pw@")),
                        "LAVA_URL must not contain credentials"),
                setting("monitor-file", b -> b.environment.put("LAVA_POLL_INTERVAL", "soon"), "poll interval"),
                setting("monitor-file", b -> b.environment.put("LAVA_POLL_INTERVAL", "0"), "poll interval"),
                setting("submit", b -> b.environment.put("LAVA_MAX_REQUESTS_PER_MINUTE", "-3"), "maximum requests per minute"),
                setting("submit", b -> b.environment.put("LAVA_MAX_REQUESTS_PER_MINUTE", "2000000000"), "from 1 to 60000"),
                setting("submit", b -> b.options = List.of("--url", "gopher://x"), "LAVA_URL must start with"));
    }

    @ParameterizedTest(name = "{0} {1}: {4}")
    @MethodSource("cases")
    void refusedBeforeAnyRequest(String command, String file, String content, Consumer<LavaTestBench> change, String message)
            throws IOException {
        if (content != null) {
            bench.file(file, content);
        }
        change.accept(bench);

        LavaTestBench.Run run = command.equals("submit") ? bench.submit(file) : bench.monitorFile(file);

        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("nspawn-runner: error: "), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals("", run.out());
        assertEquals(0, bench.server.requests().size(), "no request was sent");
    }
}
