package io.github.nspawnrunner.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The class-data sharing archive beside the jar ({@code <jar>.jsa}, made by bin/build-cds-archive
 * at `mvn package`), which every JVM of the launcher maps. The JVM records the jar's path in it
 * at dump time and refuses it for a jar elsewhere (a tree built in one directory and installed in
 * another), and bin/nspawn-runner's -Xshare:auto then starts without it, silently and slower.
 */
public record ClassDataArchive(Path jar, Path javaHome) {
    public Path file() {
        return jar.resolveSibling(jar.getFileName() + ".jsa");
    }

    /** Whether the JVM maps the archive for the jar where it is now (-Xshare:on fails where :auto goes on without). */
    public boolean mapsForJar() {
        try {
            Process probe = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-Xshare:on",
                    "-XX:SharedArchiveFile=" + file(), "-Xlog:disable", "-cp", jar.toString(), "io.github.nspawnrunner.Main",
                    "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(60, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Dumps the archive again for the jar where it is now, with INSTALLATION's bin/build-cds-archive. */
    public void rebuild(Installation installation) {
        HostCommand.run(List.of(installation.home().resolve("bin/build-cds-archive").toString(), jar.toString()),
                Map.of("JAVA_HOME", javaHome.toString()), "rebuilding the class-data archive " + file());
    }

    /** Rebuilds the archive when there is one and the JVM would not map it here; returns whether it did. */
    public boolean rebuildIfStale(Installation installation) {
        if (!Files.isRegularFile(file()) || mapsForJar()) {
            return false;
        }
        rebuild(installation);
        return true;
    }
}
