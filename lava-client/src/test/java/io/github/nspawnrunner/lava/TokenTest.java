package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.Fault;
import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import io.github.nspawnrunner.lava.FakeLavaServer.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenTest extends LavaBenchTest {
    @BeforeEach
    void start() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
        bench.verbose = true;
    }

    private void assertTokenNowhere(LavaTestBench.Run run) throws IOException {
        assertFalse(run.out().contains(LavaTestBench.TOKEN), run.out());
        assertFalse(run.err().contains(LavaTestBench.TOKEN), run.err());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains(LavaTestBench.TOKEN), file.toString());
            }
        }
        assertTrue(bench.server.requests().stream().noneMatch(r -> r.target().contains(LavaTestBench.TOKEN)));
    }

    @Test
    void everyRequestCarriesTheTokenAndNothingShowsIt() throws IOException {
        FakeJob job = new FakeJob().lines(8, "boot")
                .result("lava", "job", "fail", Map.of("error_type", "Job", "error_msg", "bad"))
                .endsWith("Incomplete");
        bench.server.nextSubmission(job);
        bench.server.failNext(Kind.LOGS, Fault.dropConnection(), Fault.http(502), Fault.tooManyRequests("2"));
        bench.server.failNext(Kind.STATUS, Fault.http(500));

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(1, run.exit(), run.err());
        assertTrue(bench.server.requests().stream().allMatch(FakeLavaServer.Request::authorized));
        assertTokenNowhere(run);
    }

    @Test
    void aWrongTokenIsAClearImmediateError() throws IOException {
        bench.environment.put("LAVA_TOKEN", "wrong-" + LavaTestBench.TOKEN);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(3, run.exit());
        assertTrue(run.err().startsWith("nspawn-runner: error: LAVA refused the request (HTTP 403: Invalid token.); check LAVA_TOKEN"),
                run.err());
        assertEquals(1, bench.server.requests().size(), "no retry of a 403");
        assertFalse(run.err().contains("wrong-"), run.err());
        assertTokenNowhere(run);
    }

    @Test
    void theTokenFlagIsUsedOverTheEnvironment() throws IOException {
        bench.environment.put("LAVA_TOKEN", "stale-token");
        bench.options = List.of("--token", LavaTestBench.TOKEN);
        bench.file("jobs.json", "{\"jobids\": [" + bench.server.add(new FakeJob().lines(2, "x").endsWith("Complete")) + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.err());
        assertTokenNowhere(run);
    }

    @Test
    void settingsAndFlagsNeverPrintTheToken() {
        LavaSettings settings = LavaSettings.resolve(Map.of("LAVA_URL", "https://lava.example.org", "LAVA_TOKEN", LavaTestBench.TOKEN),
                LavaFlags.none().withToken(LavaTestBench.TOKEN));
        for (Object value : List.of(settings, settings.token(), LavaFlags.none().withToken(LavaTestBench.TOKEN))) {
            assertFalse(value.toString().contains(LavaTestBench.TOKEN), value.toString());
        }
    }
}
