package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsPathTest {
    @TempDir
    Path dir;

    private Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/true\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void findsBashThroughAMergedUsrLink() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        executable(rootfs.resolve("usr/bin/bash"));
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
        assertEquals(Optional.of("/bin/bash"), RootfsPath.bash(rootfs));
    }

    @Test
    void anAbsoluteLinkResolvesInsideTheImageNeverOnTheHost() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        // the host has /usr/bin/bash; the image does not: its link must not find the host's
        Files.createSymbolicLink(rootfs.resolve("bin/bash"), Path.of("/usr/bin/bash"));
        assertEquals(Optional.empty(), RootfsPath.bash(rootfs));
        executable(rootfs.resolve("usr/bin/bash"));
        assertEquals(Optional.of("/bin/bash"), RootfsPath.bash(rootfs));
        assertEquals(Optional.of(rootfs.resolve("usr/bin/bash")), RootfsPath.resolve(rootfs, "/bin/bash"));
    }

    @Test
    void dotDotStopsAtTheImagesRootAndLoopsEnd() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        executable(rootfs.resolve("usr/bin/bash"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createSymbolicLink(rootfs.resolve("bin/bash"), Path.of("../../../../usr/bin/bash"));
        assertEquals(Optional.of(rootfs.resolve("usr/bin/bash")), RootfsPath.resolve(rootfs, "/bin/bash"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("/loop"));
        assertEquals(Optional.empty(), RootfsPath.resolve(rootfs, "/loop/x"));
    }

    @Test
    void anImageWithoutBashHasNone() throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        assertEquals(Optional.empty(), RootfsPath.bash(rootfs.getParent()));
    }
}
