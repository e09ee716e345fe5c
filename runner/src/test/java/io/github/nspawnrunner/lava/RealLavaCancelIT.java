package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nspawnrunner.it.ExecResult;
import io.github.nspawnrunner.it.Host;
import io.github.nspawnrunner.it.RunnerProcess;
import io.github.nspawnrunner.it.SimulatedJob;
import io.github.nspawnrunner.it.TestHostExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel propagation end to end on a real LAVA server: a job script runs {@code submit} in a job
 * container of the executor, and the stage is cancelled the way gitlab-runner cancels (SIGTERM to
 * the process group of {@code run}). The executor stops the stage's unit (SIGTERM to its
 * processes, SIGKILL after the grace), and submit cancels its LAVA job in that grace.
 */
@ExtendWith(TestHostExtension.class)
class RealLavaCancelIT {
    private static final Pattern SUBMITTED = Pattern.compile("as job (\\d+): ");

    private final Host host;
    private final String url = System.getProperty("it.lava.url");
    private final String token = System.getProperty("it.lava.token");
    private final Path project = Path.of(System.getProperty("it.project.dir"));
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    RealLavaCancelIT(Host host) {
        this.host = host;
    }

    private JsonNode job(long id) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v0.2/jobs/" + id + "/"))
                .header("Authorization", "Token " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }

    private void cancelDirectly(long id) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url + "/api/v0.2/jobs/" + id + "/cancel/"))
                .header("Authorization", "Token " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts build_script running `submit long.yaml` in a job container; returns it once the LAVA job is Running. */
    private RunnerProcess submitLongJobInARunnerJob(SimulatedJob job) throws Exception {
        String yaml = Files.readString(project.resolve("runner/src/test/resources/lava/long.yaml"));
        assertEquals(0, job.config().exitCode());
        ExecResult prepare = job.prepare();
        assertEquals(0, prepare.exitCode(), prepare.toString());
        ExecResult sources = job.runStage("get_sources", "mkdir -p " + SimulatedJob.PROJECT_DIR + " && cd "
                + SimulatedJob.PROJECT_DIR + " && cat > long.yaml <<'LAVA'\n" + yaml + "LAVA\n");
        assertEquals(0, sources.exitCode(), sources.toString());
        RunnerProcess build = job.startStage("build_script", "submit long.yaml");
        build.awaitOutput(": Running, health Unknown", Duration.ofMinutes(3));
        return build;
    }

    private static long jobId(List<ExecResult.Line> lines) {
        for (ExecResult.Line line : lines) {
            Matcher matcher = SUBMITTED.matcher(line.text());
            if (matcher.find()) {
                return Long.parseLong(matcher.group(1));
            }
        }
        throw new AssertionError("no job id in " + lines);
    }

    @Test
    void cancellingTheGitlabJobCancelsTheLavaJob() throws Exception {
        SimulatedJob job = new SimulatedJob(host, 800_101, 3).variable("LAVA_URL", host.urlFromInside(url)).variable("LAVA_TOKEN", token)
                .variable("LAVA_POLL_INTERVAL", "2");
        try {
            RunnerProcess build = submitLongJobInARunnerJob(job);
            long id = jobId(build.stdoutSoFar());
            assertEquals("Running", job(id).path("state").asText());

            long sigterm = System.nanoTime();
            build.signalGroup(15);
            JsonNode status = job(id);
            while (!"Finished".equals(status.path("state").asText()) && System.nanoTime() - sigterm < 60_000_000_000L) {
                Thread.sleep(200);
                status = job(id);
            }
            Duration toCanceled = Duration.ofNanos(System.nanoTime() - sigterm);
            ExecResult stage = build.await(Duration.ofSeconds(60));
            record("SIGTERM -> LAVA job " + id + " " + status.path("state").asText() + "/" + status.path("health").asText()
                    + " in " + toCanceled.toMillis() + " ms; stage exited " + stage.exitCode() + " after " + stage.duration());

            assertEquals("Finished", status.path("state").asText(), status.toString());
            assertEquals("Canceled", status.path("health").asText(), status.toString());
            assertNotEquals(0, stage.exitCode(), stage.toString());
            assertTrue(stage.stdout().contains("interrupted: cancelling 1 LAVA job"), stage.toString());
        } finally {
            job.cleanup();
        }
    }

    @Test
    void withCancelOnAbortFalseTheLavaJobKeepsRunning() throws Exception {
        SimulatedJob job = new SimulatedJob(host, 800_102, 3).variable("LAVA_URL", host.urlFromInside(url)).variable("LAVA_TOKEN", token)
                .variable("LAVA_POLL_INTERVAL", "2").variable("LAVA_CANCEL_ON_ABORT", "false");
        long id = 0;
        try {
            RunnerProcess build = submitLongJobInARunnerJob(job);
            id = jobId(build.stdoutSoFar());
            build.signalGroup(15);
            ExecResult stage = build.await(Duration.ofSeconds(60));
            assertNotEquals(0, stage.exitCode(), stage.toString());
            assertTrue(stage.stdout().contains("interrupted: left LAVA job " + id + " running"), stage.toString());
            // LAVA marks a job Canceling inside the cancel request, which a client answers before it exits
            assertEquals("Running", job(id).path("state").asText());
        } finally {
            if (id != 0) {
                cancelDirectly(id);
            }
            job.cleanup();
        }
    }

    @Test
    void theTestResultsGateFailsACompleteJobWithAFailingTestAndNamesIt() throws Exception {
        Files.writeString(dir.resolve("complete.yaml"), Files.readString(project.resolve("runner/src/test/resources/lava/complete.yaml")));
        List<String> argv = new ArrayList<>(List.of(project.resolve("bin/nspawn-runner").toString(), "lava", "submit", "complete.yaml"));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("LAVA_URL", url);
        builder.environment().put("LAVA_TOKEN", token);
        builder.environment().put("LAVA_POLL_INTERVAL", "2");
        builder.environment().put("LAVA_FAIL_ON_TEST_FAILURES", "true");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        assertEquals(1, exit, out);
        assertTrue(out.contains("ended Complete but has failing test cases (LAVA_FAIL_ON_TEST_FAILURES): 0_smoke/expected-failure"), out);
        assertTrue(out.contains("failing test cases (1):"), out);
        assertTrue(out.contains("the job ended Complete"), out);
    }

    private static void record(String line) throws Exception {
        System.out.println(line);
        Path file = Path.of("target/it/lava-cancel-timing.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
