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
    /** Where bin/nspawn-runner says the jar is. */
    public static final String JAR_PROPERTY = "nspawn.runner.jar";
    /** The LAVA client's own jar, beside this one's (in lib/ or target/). */
    public static final String LAVA_CLIENT_JAR = "nspawn-runner-lava.jar";
    /** Where the Debian package installs it, with its launcher linked from /usr/bin. */
    public static final Path PACKAGE_HOME = Path.of("/usr/lib/nspawn-runner");

    /** The jar that is running now, or empty when running from classes (tests). */
    public static Installation current() {
        return current(System.getProperty(JAR_PROPERTY));
    }

    /**
     * LAUNCHED_JAR is the jar the launcher started, when it said. Not the classes' code source:
     * classes from the class-data sharing archive carry the jar's path at the time the archive
     * was dumped, so a tree built in one directory and run from another would name the first.
     */
    static Installation current(String launchedJar) {
        if (launchedJar != null && !launchedJar.isBlank()) {
            Path jar = Path.of(launchedJar).toAbsolutePath().normalize();
            if (Files.isRegularFile(jar)) {
                return new Installation(jar.getParent().getParent(), Optional.of(jar));
            }
        }
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

    /** The launcher as gitlab-runner's config and the service's unit should name it. */
    public Path launcher() {
        return packaged() ? Path.of("/usr/bin/nspawn-runner") : home.resolve("bin/nspawn-runner");
    }

    /** The LAVA client's jar, which job containers run (submit, monitor-file), when it is there. */
    public Optional<Path> lavaClientJar() {
        return jar.map(path -> path.resolveSibling(LAVA_CLIENT_JAR)).filter(Files::isRegularFile);
    }

    /** Whether this is the Debian package's installation, which brings the executor service's files. */
    public boolean packaged() {
        return home.equals(PACKAGE_HOME);
    }

    public Path rootfsBuilder(String script) {
        return home.resolve("rootfs-builder").resolve(script);
    }
}
