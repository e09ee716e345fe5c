package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The distribution a root filesystem says it is, from its os-release file. */
final class OsRelease {
    private OsRelease() {
    }

    static String prettyName(Path root) {
        for (String file : new String[] {"etc/os-release", "usr/lib/os-release"}) {
            try (var lines = Files.lines(root.resolve(file))) {
                var name = lines.filter(line -> line.startsWith("PRETTY_NAME=")).findFirst();
                if (name.isPresent()) {
                    return name.get().substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            } catch (IOException e) {
                // try the next location
            }
        }
        return "unknown";
    }
}
