package io.github.nspawnrunner.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a host command by name: in PATH's absolute entries, then in the usual system dirs. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String command, String searchPath) {
        String path = searchPath == null ? "" : searchPath;
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"))
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
