package io.github.nspawnrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/run: runs bench/bench.sh on a systemd host (this machine, or a booted test host as for the
 * integration tests) and turns its measurements into a table and bench/results.json. With a fifth
 * argument STEP, runs bench/STEP.sh alone (same arguments as bench.sh) and prints its table only.
 */
public final class BenchmarkRunner {
    private record Key(String metric, String impl) {
    }

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        Path chroot = Path.of(args[1]);
        int repetitions = Integer.parseInt(args[3]);
        String script = args.length > 4 ? args[4] + ".sh" : "bench.sh";
        Path work = Path.of("/var/tmp/nspawn-runner-bench");
        new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
        List<String> lines;
        if (args[2].isEmpty()) {
            Path chroots = Files.createDirectories(work.resolve("chroots"));
            Files.createSymbolicLink(chroots.resolve("bookworm"), chroot);
            LocalHost host = new LocalHost(project, work, chroots);
            lines = run(host, script, chroots.resolve("bookworm").toString(), repetitions);
        } else {
            try (TestHost host = TestHost.boot(Path.of(args[2]), project, Map.of("bookworm", chroot), work)) {
                lines = run(host, script, TestHost.CHROOTS_DIR + "/bookworm", repetitions);
            }
        }
        // one step alone is no whole run: bench/results.json keeps the last whole one
        report(lines, repetitions, args.length > 4 ? null : project.resolve("bench/results.json"));
    }

    private static List<String> run(Host host, String script, String chrootInside, int repetitions) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME", host.javaHome()));
        environment.putAll(host.runnerEnvironment());
        String bench = Path.of(host.cli()).getParent().getParent().resolve("bench").resolve(script).toString();
        RunnerProcess process = host.start(List.of("/bin/bash", bench, host.cli(), chrootInside,
                host.jobsRootInside() + "/bench", Integer.toString(repetitions)), environment, "/");
        ExecResult result = process.await(Duration.ofMinutes(30));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(script + " failed: " + result);
        }
        return result.stdoutLines().stream().map(ExecResult.Line::text).filter(l -> l.startsWith("{")).toList();
    }

    private static void report(List<String> lines, int repetitions, Path jsonFile) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<Key, List<Long>> values = new LinkedHashMap<>();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            List<Long> numbers = new ArrayList<>();
            node.get("values").forEach(v -> numbers.add(v.asLong()));
            values.put(new Key(node.get("metric").asText(), node.get("impl").asText()), numbers);
        }
        ObjectNode results = json.createObjectNode();
        results.put("date", Instant.now().toString());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("java", System.getProperty("java.vm.version"));
        results.put("repetitions", repetitions);
        ArrayNode rows = results.putArray("measurements");
        // nspawn-runner as setup installs it (with its executor service), and in-process: a JVM per call
        System.out.printf("| %-20s | %-4s | %-20s | %-20s | %-6s | %-20s | %-6s |%n", "metric", "unit", "baseline min/med/max",
                "nspawn-runner", "ratio", "in-process", "ratio");
        System.out.println("|----------------------|------|----------------------|----------------------|--------|----------------------|--------|");
        values.keySet().stream().map(Key::metric).distinct().forEach(metric -> {
            List<Long> base = values.get(new Key(metric, "baseline"));
            List<Long> ours = values.get(new Key(metric, "nspawn-runner"));
            List<Long> inProcess = values.get(new Key(metric, "in-process"));
            ObjectNode row = rows.addObject();
            row.put("metric", metric);
            row.put("unit", metric.endsWith("_kib") ? "KiB" : "ms");
            put(row, "baseline", base);
            put(row, "nspawn_runner", ours);
            put(row, "in_process", inProcess);
            row.put("ratio", ratio(ours, base));
            row.put("ratio_in_process", ratio(inProcess, base));
            System.out.printf("| %-20s | %-4s | %-20s | %-20s | %-6s | %-20s | %-6s |%n", metric, row.get("unit").asText(),
                    summary(base), summary(ours), ratio(ours, base), summary(inProcess), ratio(inProcess, base));
        });
        slowdowns(values, results.putObject("concurrent8_slowdown"));
        if (jsonFile != null) {
            Files.writeString(jsonFile, json.writeValueAsString(results) + "\n");
            System.out.println("\n(written to " + jsonFile + ")");
        }
    }

    private static void put(ObjectNode row, String name, List<Long> numbers) {
        if (numbers != null) {
            ObjectNode stats = row.putObject(name);
            stats.put("min", numbers.stream().mapToLong(Long::longValue).min().orElse(0));
            stats.put("median", median(numbers));
            stats.put("max", numbers.stream().mapToLong(Long::longValue).max().orElse(0));
            ArrayNode all = stats.putArray("values");
            numbers.forEach(all::add);
        }
    }

    /**
     * The slowest concurrent job against the median sequential job, and what CPU time alone
     * predicts for it: eight jobs sharing the cores, each needing the CPU time one job alone used.
     */
    private static void slowdowns(Map<Key, List<Long>> values, ObjectNode json) {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("%nslowest of 8 concurrent jobs / sequential job (CPU-bound estimate on %d cores: 8 / %d x CPU time / wall time of one job):%n",
                cores, cores);
        for (String impl : List.of("baseline", "nspawn-runner", "in-process")) {
            List<Long> each = values.get(new Key("concurrent8_job", impl));
            List<Long> job = values.get(new Key("job", impl));
            List<Long> cpu = values.get(new Key("job_cpu_ms", impl));
            if (each == null || job == null || cpu == null) {
                continue;
            }
            double slowdown = (double) each.stream().mapToLong(Long::longValue).max().orElse(0) / median(job);
            double estimate = 8.0 / cores * median(cpu) / median(job);
            ObjectNode row = json.putObject(impl);
            row.put("slowest_over_sequential", Math.round(slowdown * 100) / 100.0);
            row.put("cpu_bound_estimate", Math.round(estimate * 100) / 100.0);
            System.out.printf("  %-14s %.2f x (CPU-bound estimate %.2f x)%n", impl, slowdown, estimate);
        }
    }

    private static String ratio(List<Long> ours, List<Long> base) {
        return base == null || ours == null || median(base) == 0 ? "-" : String.format("%.2f", (double) median(ours) / median(base));
    }

    private static long median(List<Long> numbers) {
        List<Long> sorted = numbers.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String summary(List<Long> numbers) {
        if (numbers == null) {
            return "-";
        }
        return numbers.stream().mapToLong(Long::longValue).min().orElse(0) + " / " + median(numbers) + " / "
                + numbers.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
