package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobBootProfileTest {
    @TempDir
    Path tmp;

    @Test
    void masksUnitsAndGeneratorsWithTheChrootsDirectoryModes() throws IOException {
        Path chroot = Files.createDirectories(tmp.resolve("chroot/etc/systemd/system"));
        Files.setPosixFilePermissions(tmp.resolve("chroot/etc"), PosixFilePermissions.fromString("rwxr-x---"));
        Path upper = Files.createDirectory(tmp.resolve("upper"));

        JobBootProfile.write(upper, tmp.resolve("chroot"));

        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(upper.resolve("etc"))),
                "a dir of both layers shows the upper's mode: it must be the chroot's");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(upper.resolve("etc/systemd/system-generators"))));
        for (String unit : JobBootProfile.MASKED_UNITS) {
            Path link = upper.resolve("etc/systemd/system").resolve(unit);
            assertTrue(Files.isSymbolicLink(link), unit);
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(link));
        }
        for (String generator : JobBootProfile.MASKED_GENERATORS) {
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(upper.resolve("etc/systemd/system-generators")
                    .resolve(generator)));
        }
        assertTrue(Files.isDirectory(chroot, LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, Files.list(chroot).count(), "the chroot is never written");
    }

    @Test
    void keepsWhatStagesAndJobsNeed() {
        for (String kept : new String[] {"dbus.socket", "dbus.service", "systemd-journald.service",
                "systemd-journald.socket", "systemd-tmpfiles-setup.service", "systemd-user-sessions.service",
                "multi-user.target", "basic.target"}) {
            assertTrue(!JobBootProfile.MASKED_UNITS.contains(kept), kept);
        }
        assertTrue(!JobBootProfile.MASKED_GENERATORS.contains("systemd-sysv-generator"));
    }
}
