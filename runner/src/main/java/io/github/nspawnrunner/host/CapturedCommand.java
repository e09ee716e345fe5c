package io.github.nspawnrunner.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A short host command (ip, nft) with its whole input on stdin and no shell. A failure is a
 * {@link HostCommandException} naming WHAT and carrying the command's own first line of
 * complaint, so the caller's message stays one line.
 */
public final class CapturedCommand {
    private final List<String> argv;
    private final String what;
    private final Process process;

    private CapturedCommand(List<String> argv, String what, Process process) {
        this.argv = argv;
        this.what = what;
        this.process = process;
    }

    /** Runs the command to its end; returns what it printed, stdout and stderr together. */
    public static String run(List<String> argv, String input, String what) {
        return start(argv, input, what).await();
    }

    /** Starts the command and hands it INPUT, for a caller that has other things to do meanwhile. */
    public static CapturedCommand start(List<String> argv, String input, String what) {
        // one pipe for both streams: the input is small and read before anything is printed,
        // so writing it first and reading after cannot block on a full pipe
        Process process = HostProcess.start(new ProcessBuilder(argv).redirectErrorStream(true), what);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command ended without reading all of it: its exit status and output say why
        }
        return new CapturedCommand(argv, what, process);
    }

    /** Waits for the command's end; returns what it printed. */
    public String await() {
        return HostProcess.await(process, argv, what, () -> {
            String output;
            try (InputStream stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = process.waitFor();
            if (status != 0) {
                throw HostProcess.exited(argv, what, status, output.isBlank() ? Optional.empty() : Optional.of(firstLine(output)));
            }
            return output;
        });
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    }
}
