package io.github.nspawnrunner.systemd;

import io.github.nspawnrunner.host.Executables;
import java.nio.file.Path;

/** Finds systemd-nspawn: a unit's ExecStart wants an absolute path. */
public final class NspawnBinary {
    private NspawnBinary() {
    }

    public static Path locate(String searchPath) {
        return Executables.find("systemd-nspawn", searchPath).orElseThrow(() -> new SystemdException(
                "systemd-nspawn not found: install it (apt-get install systemd-container)"));
    }
}
