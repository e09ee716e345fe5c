package io.github.nspawnrunner.setup;

import io.github.nspawnrunner.host.HostCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Installs Debian packages with apt-get, its progress on our terminal. */
public final class DependencyInstaller {
    private static final Map<String, String> NONINTERACTIVE = Map.of("DEBIAN_FRONTEND", "noninteractive");

    public void install(List<String> packages) {
        HostCommand.run(List.of("apt-get", "update", "-q"), NONINTERACTIVE, "updating the package lists");
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(packages);
        HostCommand.run(install, NONINTERACTIVE, "installing " + String.join(" ", packages));
    }
}
