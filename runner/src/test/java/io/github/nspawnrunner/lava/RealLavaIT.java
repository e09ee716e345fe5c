package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.nspawnrunner.it.ExecResult;
import io.github.nspawnrunner.it.Host;
import io.github.nspawnrunner.it.JobRun;
import io.github.nspawnrunner.it.SimulatedJob;
import io.github.nspawnrunner.it.TestHostExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit and monitor-file against a real LAVA 2023.01 (bin/lava-server: lava-server, a worker and
 * qemu devices booting a real kernel), side by side with Debian's lavacli on the same jobs.
 */
@ExtendWith(TestHostExtension.class)
class RealLavaIT {
    /** "as job 12: " or, for a multinode sub-job, "as job 12.0 (id 12): ". */
    private static final Pattern SUBMITTED = Pattern.compile("as job (?:\\d+\\.\\d+ \\(id )?(\\d+)\\)?: ");

    private final Host host;
    private final String url = property("it.lava.url");
    private final String token = property("it.lava.token");
    private final Path project = Path.of(property("it.project.dir"));

    @TempDir
    Path dir;

    RealLavaIT(Host host) {
        this.host = host;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests with bin/test,"
                    + " which starts the LAVA server (bin/lava-server)");
        }
        return value;
    }

    private String definition(String name) throws IOException {
        return Files.readString(project.resolve("runner/src/test/resources/lava").resolve(name));
    }

    /** The CLI on this machine, as a user outside the runner would call it. */
    private ExecResult lava(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(project.resolve("bin/nspawn-runner").toString(), "lava"));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        builder.environment().put("LAVA_URL", url);
        builder.environment().put("LAVA_TOKEN", token);
        builder.environment().put("LAVA_POLL_INTERVAL", "2");
        return run(builder);
    }

    private ExecResult lavacli(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("lavacli", "--uri",
                url.replace("http://", "http://admin:" + token + "@") + "/RPC2"));
        argv.addAll(List.of(args));
        return run(new ProcessBuilder(argv).directory(dir.toFile()));
    }

    private static ExecResult run(ProcessBuilder builder) throws Exception {
        long start = System.nanoTime();
        Path out = Files.createTempFile("lava-out", ".txt");
        Path err = Files.createTempFile("lava-err", ".txt");
        int exit = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        List<ExecResult.Line> lines = new ArrayList<>();
        Files.readAllLines(out).forEach(line -> lines.add(new ExecResult.Line(line, 0)));
        ExecResult result = new ExecResult(exit, lines, Files.readAllLines(err),
                java.time.Duration.ofNanos(System.nanoTime() - start));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    private static long jobId(ExecResult submit) {
        Matcher matcher = SUBMITTED.matcher(submit.stdout());
        assertTrue(matcher.find(), submit.toString());
        return Long.parseLong(matcher.group(1));
    }

    /** What lavacli says of the job: field -> value of `jobs show`. */
    private Map<String, String> lavacliShow(long id) throws Exception {
        ExecResult show = lavacli("jobs", "show", Long.toString(id));
        assertEquals(0, show.exitCode(), show.toString());
        Map<String, String> fields = new LinkedHashMap<>();
        for (ExecResult.Line line : show.stdoutLines()) {
            int colon = line.text().indexOf(':');
            if (colon > 0) {
                fields.put(line.text().substring(0, colon).trim(), line.text().substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** Our raw log file holds exactly the entries lavacli downloads for the job. */
    private void assertSameLogAsLavacli(long id) throws Exception {
        ExecResult raw = lavacli("jobs", "logs", "--raw", Long.toString(id));
        assertEquals(0, raw.exitCode(), raw.toString());
        YAMLMapper yaml = new YAMLMapper();
        JsonNode theirs = yaml.readTree(raw.stdout());
        JsonNode ours = yaml.readTree(Files.readString(dir.resolve("lava-" + id + ".yaml")));
        assertTrue(theirs.size() > 20, "a real job logs more than that: " + theirs.size());
        assertEquals(theirs, ours, "lava-" + id + ".yaml differs from lavacli jobs logs --raw");
        long readable = Files.readAllLines(dir.resolve("lava-" + id + ".log")).stream().filter(l -> !l.isBlank()).count();
        assertTrue(readable >= theirs.size(), "readable log has fewer lines (" + readable + ") than entries (" + theirs.size() + ")");
    }

    @Test
    void completeJobPassesWithItsFilesAndMatchesLavacli() throws Exception {
        Files.writeString(dir.resolve("complete.yaml"), definition("complete.yaml"));
        ExecResult submit = lava("submit", "complete.yaml");
        assertEquals(0, submit.exitCode(), submit.toString());
        long id = jobId(submit);
        assertTrue(submit.stdout().contains(url + "/scheduler/job/" + id), submit.toString());
        assertTrue(submit.stdout().contains("RESULT"), submit.toString());
        assertFalse(submit.stdout().contains(token) || submit.stderr().contains(token), "token leaked");

        assertEquals("Finished", lavacliShow(id).get("state"));
        assertEquals("Complete", lavacliShow(id).get("Health"));
        assertEquals(0, lavacli("jobs", "wait", Long.toString(id)).exitCode());
        assertSameLogAsLavacli(id);
        String junit = Files.readString(dir.resolve("lava-" + id + "-junit.xml"));
        assertTrue(junit.contains("<testsuite") && junit.contains("<failure"), junit);
        for (Path file : List.of(dir.resolve("lava-" + id + ".log"), dir.resolve("lava-" + id + ".yaml"))) {
            assertFalse(Files.readString(file).contains(token), "token in " + file);
        }
    }

    @Test
    void incompleteJobFailsWithLavasReasonLikeLavacliSaysIt() throws Exception {
        Files.writeString(dir.resolve("incomplete.yaml"), definition("incomplete.yaml"));
        ExecResult submit = lava("submit", "incomplete.yaml");
        assertEquals(1, submit.exitCode(), submit.toString());
        long id = jobId(submit);
        assertTrue((submit.stdout() + submit.stderr()).contains("auto-login-action timed out after 40 seconds (error type: Job)"),
                submit.toString());
        assertEquals("Incomplete", lavacliShow(id).get("Health"));
        assertSameLogAsLavacli(id);
    }

    @Test
    void monitorFileWatchesRunningJobsAndFailsOnTheIncompleteOne() throws Exception {
        long complete = submitDirectly(definition("complete.yaml"));
        long incomplete = submitDirectly(definition("incomplete.yaml"));
        Files.writeString(dir.resolve("jobs.json"), "{\"jobids\": [" + complete + ", \"" + incomplete + "\"]}");
        ExecResult monitor = lava("monitor-file", "jobs.json");
        assertEquals(1, monitor.exitCode(), monitor.toString());
        String out = monitor.stdout();
        assertTrue(out.contains("job " + complete + ": Finished, health Complete"), out);
        assertTrue(out.contains("job " + incomplete + ": Finished, health Incomplete"), out);
        assertEquals("Complete", lavacliShow(complete).get("Health"));
        assertEquals("Incomplete", lavacliShow(incomplete).get("Health"));
        assertSameLogAsLavacli(complete);
    }

    @Test
    void multinodeSubmissionFollowsEverySubJob() throws Exception {
        Files.writeString(dir.resolve("multinode.yaml"), definition("multinode.yaml"));
        ExecResult submit = lava("submit", "multinode.yaml");
        assertEquals(0, submit.exitCode(), submit.toString());
        long first = jobId(submit);
        for (long id : new long[] {first, first + 1}) {
            assertTrue(Files.exists(dir.resolve("lava-" + id + ".log")), "no log of sub-job " + id);
            assertTrue(submit.stdout().contains("[" + id + "] "), "no lines of sub-job " + id + ": " + submit);
            assertEquals("Complete", lavacliShow(id).get("Health"));
        }
    }

    @Test
    void aJobScriptInsideTheRunnerSubmitsToLava() throws Exception {
        String yaml = definition("complete.yaml");
        SimulatedJob job = new SimulatedJob(host, 800_001, 3)
                .variable("LAVA_URL", host.urlFromInside(url))
                .variable("LAVA_TOKEN", token)
                .variable("LAVA_POLL_INTERVAL", "2");
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put("get_sources", "mkdir -p " + SimulatedJob.PROJECT_DIR + " && cd " + SimulatedJob.PROJECT_DIR
                + " && cat > lava-job.yaml <<'LAVA'\n" + yaml + "LAVA\n");
        stages.put("build_script", "submit lava-job.yaml\nls lava-*");
        JobRun run = job.run(stages);
        ExecResult build = run.stage("build_script");
        assertEquals(0, build.exitCode(), run.toString());
        long id = jobId(build);
        assertTrue(build.stdout().endsWith("lava-" + id + "-junit.xml\nlava-" + id + ".log\nlava-" + id + ".yaml\nlava-job.yaml"),
                build.toString());
        assertEquals("Complete", lavacliShow(id).get("Health"));
    }

    private long submitDirectly(String definition) throws Exception {
        String body = new ObjectMapper().writeValueAsString(Map.of("definition", definition));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v0.2/jobs/"))
                .header("Authorization", "Token " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body()).get("job_ids").get(0).asLong();
    }
}
