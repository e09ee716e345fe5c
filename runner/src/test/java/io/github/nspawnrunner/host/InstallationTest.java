package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationTest {
    @TempDir
    Path dir;

    @Test
    void theJarTheLauncherNamesWinsOverTheCodeSourceWhichTheClassDataArchiveFixedAtDumpTime() throws IOException {
        Path jar = Files.createDirectories(dir.resolve("b/target")).resolve("nspawn-runner.jar");
        Files.writeString(jar, "");
        Installation installation = Installation.current(dir.resolve("b/bin/../target/nspawn-runner.jar").toString());
        assertEquals(dir.resolve("b"), installation.home());
        assertEquals(Optional.of(jar), installation.jar());
        assertEquals(dir.resolve("b/bin/nspawn-runner"), installation.launcher());
        assertFalse(installation.packaged());
    }

    @Test
    void withoutTheLauncherOrWithAJarThatIsNotThereItIsTheCodeSource() {
        assertEquals(Installation.current(null), Installation.current(dir.resolve("gone.jar").toString()));
        assertEquals(Installation.current(null), Installation.current(""));
    }

    @Test
    void theDebianPackagesInstallationIsNamedByItsLauncherInUsrBin() {
        Installation packaged = new Installation(Path.of("/usr/lib/nspawn-runner"),
                Optional.of(Path.of("/usr/lib/nspawn-runner/lib/nspawn-runner.jar")));
        assertTrue(packaged.packaged());
        assertEquals(Path.of("/usr/bin/nspawn-runner"), packaged.launcher());
        assertEquals(Path.of("/usr/lib/nspawn-runner/rootfs-builder/debian-rootfs"), packaged.rootfsBuilder("debian-rootfs"));
    }

    @Test
    void aCheckoutIsNamedByItsOwnLauncher() {
        Installation checkout = new Installation(Path.of("/opt/nspawn-runner"), Optional.of(Path.of("/opt/nspawn-runner/target/nspawn-runner.jar")));
        assertFalse(checkout.packaged());
        assertEquals(Path.of("/opt/nspawn-runner/bin/nspawn-runner"), checkout.launcher());
    }

    @Test
    void theLavaClientsJarIsTheOneBesideTheRunnersWhenItIsThere() throws IOException {
        Path jar = Files.writeString(Files.createDirectories(dir.resolve("lib")).resolve("nspawn-runner.jar"), "");
        Installation installation = new Installation(dir, Optional.of(jar));
        assertEquals(Optional.empty(), installation.lavaClientJar());
        Path lava = Files.writeString(dir.resolve("lib/nspawn-runner-lava.jar"), "");
        assertEquals(Optional.of(lava), installation.lavaClientJar());
        assertEquals(Optional.empty(), new Installation(dir, Optional.empty()).lavaClientJar(), "running from classes");
    }
}
