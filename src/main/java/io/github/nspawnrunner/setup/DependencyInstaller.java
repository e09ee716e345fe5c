package io.github.nspawnrunner.setup;

import io.github.nspawnrunner.host.HostCommandException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Installs Debian packages with apt-get, its progress on our terminal. */
public final class DependencyInstaller {
    public void install(List<String> packages) {
        run(List.of("apt-get", "update", "-q"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(packages);
        run(install);
    }

    private static void run(List<String> argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            int status = builder.start().waitFor();
            if (status != 0) {
                throw new HostCommandException(String.join(" ", argv) + " failed with status " + status + " (see above)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run apt-get (is this Debian or Ubuntu?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostCommandException("apt-get was interrupted");
        }
    }
}
