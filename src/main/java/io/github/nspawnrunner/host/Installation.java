package io.github.nspawnrunner.host;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this nspawn-runner is installed: the jar runs from {@code <home>/lib} or
 * {@code <home>/target}, beside {@code <home>/bin} and {@code <home>/rootfs-builder}.
 */
public record Installation(Path home, Optional<Path> jar) {
    /** The jar that is running now, or empty when running from classes (tests). */
    public static Installation current() {
        try {
            Path location = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
                return new Installation(location.getParent().getParent(), Optional.of(location));
            }
            return new Installation(location.getParent().getParent(), Optional.empty());
        } catch (URISyntaxException | SecurityException e) {
            return new Installation(Path.of("/opt/nspawn-runner"), Optional.empty());
        }
    }

    public Path launcher() {
        return home.resolve("bin/nspawn-runner");
    }

    public Path rootfsBuilder(String script) {
        return home.resolve("rootfs-builder").resolve(script);
    }
}
