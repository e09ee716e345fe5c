package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    }

    @Test
    void withoutTheLauncherOrWithAJarThatIsNotThereItIsTheCodeSource() {
        assertEquals(Installation.current(null), Installation.current(dir.resolve("gone.jar").toString()));
        assertEquals(Installation.current(null), Installation.current(""));
    }
}
