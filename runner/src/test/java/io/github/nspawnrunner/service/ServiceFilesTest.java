package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceFilesTest {
    private static final Path LAUNCHER = Path.of("/opt/nspawn-runner/bin/nspawn-runner");
    private static final Path JAVA_HOME = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @Test
    void theExamplesInEtcAreWhatInstallWritesForOptNspawnRunner() throws IOException {
        for (ServiceFiles.File file : new ServiceFiles(Path.of("/"), LAUNCHER, JAVA_HOME).files()) {
            Path example = Path.of("etc/service").resolve(file.path().getFileName());
            assertEquals(Files.readString(example), file.content(), example + " is out of date");
        }
    }

    @Test
    void theDebianPackagesFilesAreWhatItsBuildShipsAndRunTheSystemJava() throws IOException {
        var files = ServiceFiles.packaged().files();
        assertEquals(Path.of("/usr/lib/systemd/system/nspawn-runner.service"), files.get(0).path());
        assertEquals(Path.of("/usr/share/dbus-1/system.d/io.github.nspawnrunner.Executor1.conf"), files.get(1).path());
        assertEquals(Files.readString(Path.of("deb/nspawn-runner.service")), files.get(0).content(),
                "deb/nspawn-runner.service is out of date");
        assertEquals(Files.readString(Path.of("etc/service/io.github.nspawnrunner.Executor1.conf")), files.get(1).content());
        assertTrue(files.get(0).content().contains("\nExecStart=/usr/bin/nspawn-runner service run\n"));
        assertTrue(!files.get(0).content().contains("JAVA_HOME"), "the package's service runs the system's java");
    }

    @Test
    void filesGoWhereSystemdAndDbusDaemonLookUnderTheRoot() {
        Path root = Path.of("/tmp/root");
        var paths = new ServiceFiles(root, LAUNCHER, JAVA_HOME).files().stream().map(ServiceFiles.File::path).toList();
        assertEquals(java.util.List.of(root.resolve("etc/systemd/system/nspawn-runner.service"),
                root.resolve("etc/dbus-1/system.d/io.github.nspawnrunner.Executor1.conf")), paths);
    }

    @Test
    void theUnitStartsTheLauncherOnTheInstallersJdkAndOnlyRootMayCall() {
        var files = new ServiceFiles(Path.of("/"), LAUNCHER, JAVA_HOME).files();
        assertTrue(files.get(0).content().contains("\nExecStart=/opt/nspawn-runner/bin/nspawn-runner service run\n"));
        assertTrue(files.get(0).content().contains("\nEnvironment=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\n"));
        assertTrue(files.get(1).content().contains("<policy user=\"root\">"));
        assertTrue(files.get(1).content().contains("<deny send_destination=\"io.github.nspawnrunner.Executor1\"/>"));
    }

    @Test
    void theServiceIsEnabledAtBootWhereItCollectsWhatTheLastBootLeft() {
        var files = new ServiceFiles(Path.of("/tmp/root"), LAUNCHER, JAVA_HOME);
        assertTrue(files.files().get(0).content().endsWith("\n[Install]\n"
                + "# at boot too: on its start it removes what jobs of the last boot left (nspawn-runner jobs gc)\n"
                + "WantedBy=multi-user.target\n"));
        assertEquals(Path.of("/tmp/root/etc/systemd/system/multi-user.target.wants/nspawn-runner.service"), files.enableLink().path());
        assertEquals("../nspawn-runner.service", files.enableLink().content());
    }

    @Test
    void theDebianPackagesUnitIsEnabledAtBootTooAndItsLinkNamesTheUnitInUsr() {
        var files = ServiceFiles.packaged();
        assertTrue(files.files().get(0).content().endsWith("\n[Install]\n"
                + "# at boot too: on its start it removes what jobs of the last boot left (nspawn-runner jobs gc)\n"
                + "WantedBy=multi-user.target\n"));
        assertEquals(Path.of("/etc/systemd/system/multi-user.target.wants/nspawn-runner.service"), files.enableLink().path());
        assertEquals("/usr/lib/systemd/system/nspawn-runner.service", files.enableLink().content());
    }

    @Test
    void pathsAUnitFileCannotHoldUnquotedAreRefused() {
        var spaced = new ServiceFiles(Path.of("/"), Path.of("/opt/my runner/bin/nspawn-runner"), JAVA_HOME);
        var error = assertThrows(IllegalArgumentException.class, spaced::files);
        assertTrue(error.getMessage().contains("/opt/my runner/bin/nspawn-runner"), error.getMessage());
        var relative = new ServiceFiles(Path.of("/"), LAUNCHER, Path.of("jdk"));
        assertThrows(IllegalArgumentException.class, relative::files);
    }
}
