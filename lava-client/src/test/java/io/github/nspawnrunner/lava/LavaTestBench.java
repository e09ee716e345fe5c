package io.github.nspawnrunner.lava;

import io.github.nspawnrunner.lava.cli.LavaCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs lava commands against a {@link FakeLavaServer} on virtual time, capturing what they print. */
final class LavaTestBench implements AutoCloseable {
    static final String TOKEN = "s3cr3t-T0KEN-4f9a2c";

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    final VirtualTicker ticker = new VirtualTicker();
    final FakeLavaServer server;
    final Path workDir;
    final Map<String, String> environment = new HashMap<>();
    /** What the CLI's shutdown hook calls on SIGTERM/SIGINT; a test calls it instead of sending a signal. */
    final AbortSignal abort = new AbortSignal();
    /** Options of the command line, before the file. */
    List<String> options = List.of();
    Duration requestTimeout = Duration.ofSeconds(5);
    boolean verbose;

    LavaTestBench(Path workDir) throws IOException {
        this.workDir = workDir;
        this.server = FakeLavaServer.start(TOKEN, ticker);
        environment.put("LAVA_URL", server.url());
        environment.put("LAVA_TOKEN", TOKEN);
        // fast polling costs nothing on virtual time; the request cap is what keeps it polite
        environment.put("LAVA_POLL_INTERVAL", "5");
        environment.put("LAVA_MAX_REQUESTS_PER_MINUTE", "600");
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(workDir.resolve(name), content);
    }

    Run submit(String file) {
        return run("submit", file);
    }

    Run monitorFile(String file) {
        return run("monitor-file", file);
    }

    /** The command line lava COMMAND [options] FILE, run in-process as the jar's main would. */
    Run run(String command, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LavaRuntime runtime = new LavaRuntime(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), workDir, false, false, ticker, Duration.ofSeconds(5),
                requestTimeout);
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(options);
        if (verbose) {
            args.add("--verbose");
        }
        args.add(file);
        int exit = new LavaCli(environment, runtime, abort).run("lava", args.toArray(String[]::new));
        // an interrupted command keeps its thread's interrupt flag (for the CLI's exit); this thread goes on testing
        Thread.interrupted();
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String read(String name) throws IOException {
        return Files.readString(workDir.resolve(name));
    }

    static String definition() {
        return """
                # a comment LAVA keeps
                device_type: qemu
                job_name: smoke
                timeouts:
                  job: {minutes: 10}
                actions:
                - boot: {method: qemu, media: tmpfs}
                """;
    }

    @Override
    public void close() {
        server.close();
    }
}
