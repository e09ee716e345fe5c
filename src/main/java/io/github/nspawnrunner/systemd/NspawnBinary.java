package io.github.nspawnrunner.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds systemd-nspawn: a unit's ExecStart wants an absolute path. */
public final class NspawnBinary {
    private NspawnBinary() {
    }

    public static Path locate(String searchPath) {
        String path = searchPath == null || searchPath.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : searchPath;
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin", "/bin"))
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> Path.of(dir, "systemd-nspawn"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new SystemdException(
                        "systemd-nspawn not found: install it (apt-get install systemd-container)"));
    }
}
