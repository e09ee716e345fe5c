package io.github.nspawnrunner.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a short host command (ip, nft) with INPUT on its stdin and no shell. A failure is a
 * {@link HostCommandException} naming WHAT and carrying the command's own first line of
 * complaint, so the caller's message stays one line.
 */
public final class CapturedCommand {
    private CapturedCommand() {
    }

    /** Returns what the command printed, stdout and stderr together. */
    public static String run(List<String> argv, String input, String what) {
        try {
            // one pipe for both streams: the input is small and read before anything is printed,
            // so writing it first and reading after cannot block on a full pipe
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command ended without reading all of it: its exit status and output say why
            }
            String output;
            try (InputStream stdout = process.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = process.waitFor();
            if (status != 0) {
                throw new HostCommandException(what + " failed (" + argv.get(0) + " exited " + status
                        + (output.isBlank() ? "" : ": " + firstLine(output)) + ")");
            }
            return output;
        } catch (IOException e) {
            throw new HostCommandException(what + ": cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostCommandException(what + " was interrupted");
        }
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    }
}
