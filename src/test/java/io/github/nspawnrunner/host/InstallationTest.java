package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstallationTest {
    @Test
    void theDebianPackagesInstallationIsNamedByItsLauncherInUsrBin() {
        Installation packaged = new Installation(Path.of("/usr/lib/nspawn-runner"),
                Optional.of(Path.of("/usr/lib/nspawn-runner/lib/nspawn-runner.jar")));
        assertTrue(packaged.packaged());
        assertEquals(Path.of("/usr/bin/nspawn-runner"), packaged.launcher());
        assertEquals(Path.of("/usr/lib/nspawn-runner/rootfs-builder/debootstrap-rootfs"), packaged.rootfsBuilder("debootstrap-rootfs"));
    }

    @Test
    void aCheckoutIsNamedByItsOwnLauncher() {
        Installation checkout = new Installation(Path.of("/opt/nspawn-runner"), Optional.of(Path.of("/opt/nspawn-runner/target/nspawn-runner.jar")));
        assertFalse(checkout.packaged());
        assertEquals(Path.of("/opt/nspawn-runner/bin/nspawn-runner"), checkout.launcher());
    }
}
