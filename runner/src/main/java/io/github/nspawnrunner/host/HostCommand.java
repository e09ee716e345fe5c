package io.github.nspawnrunner.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Runs a host command (debootstrap, cp, apt-get) with our terminal: these take a while, and the
 * admin wants to see them move. A non-zero exit is a {@link HostCommandException} saying WHAT failed.
 */
public final class HostCommand {
    private HostCommand() {
    }

    public static void run(List<String> argv, Map<String, String> environment, String what) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
            builder.environment().putAll(environment);
            int status = builder.start().waitFor();
            if (status != 0) {
                throw new HostCommandException(what + " failed (" + argv.get(0) + " exited " + status + ", see above)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostCommandException(what + " was interrupted");
        }
    }
}
