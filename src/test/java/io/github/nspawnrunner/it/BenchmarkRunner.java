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
 * integration tests) and turns its measurements into a table and bench/results.json.
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
        Path work = Path.of("/var/tmp/nspawn-runner-bench");
        new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
        List<String> lines;
        if (args[2].isEmpty()) {
            Path chroots = Files.createDirectories(work.resolve("chroots"));
            Files.createSymbolicLink(chroots.resolve("bookworm"), chroot);
            LocalHost host = new LocalHost(project, work, chroots);
            lines = run(host, chroots.resolve("bookworm").toString(), repetitions);
        } else {
            try (TestHost host = TestHost.boot(Path.of(args[2]), project, Map.of("bookworm", chroot), work)) {
                lines = run(host, TestHost.CHROOTS_DIR + "/bookworm", repetitions);
            }
        }
        report(lines, repetitions, project.resolve("bench/results.json"));
    }

    private static List<String> run(Host host, String chrootInside, int repetitions) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME", host.javaHome()));
        environment.putAll(host.runnerEnvironment());
        String bench = Path.of(host.cli()).getParent().getParent().resolve("bench/bench.sh").toString();
        RunnerProcess process = host.start(List.of("/bin/bash", bench, host.cli(), chrootInside,
                host.jobsRootInside() + "/bench", Integer.toString(repetitions)), environment, "/");
        ExecResult result = process.await(Duration.ofMinutes(30));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("bench.sh failed: " + result);
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
        System.out.printf("| %-20s | %-14s | %-22s | %-22s | %-6s |%n", "metric", "unit", "baseline min/med/max",
                "nspawn-runner min/med/max", "ratio");
        System.out.println("|----------------------|----------------|------------------------|------------------------|--------|");
        values.keySet().stream().map(Key::metric).distinct().forEach(metric -> {
            List<Long> base = values.get(new Key(metric, "baseline"));
            List<Long> ours = values.get(new Key(metric, "nspawn-runner"));
            ObjectNode row = rows.addObject();
            row.put("metric", metric);
            row.put("unit", metric.endsWith("_kib") ? "KiB" : "ms");
            put(row, "baseline", base);
            put(row, "nspawn_runner", ours);
            String ratio = base == null || ours == null || median(base) == 0 ? "-"
                    : String.format("%.2f", (double) median(ours) / median(base));
            row.put("ratio", ratio);
            System.out.printf("| %-20s | %-14s | %-22s | %-22s | %-6s |%n", metric, row.get("unit").asText(), summary(base),
                    summary(ours), ratio);
        });
        Files.writeString(jsonFile, json.writeValueAsString(results) + "\n");
        System.out.println("\n(written to " + jsonFile + ")");
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
