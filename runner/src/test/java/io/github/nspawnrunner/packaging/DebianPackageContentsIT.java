package io.github.nspawnrunner.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The .deb `mvn package` built, as dpkg-deb and lintian read it (no test host needed). */
class DebianPackageContentsIT {
    private final BuiltPackage built = BuiltPackage.ofThisBuild();

    private String dpkgDeb(String... arguments) {
        List<String> argv = new java.util.ArrayList<>(List.of("dpkg-deb"));
        argv.addAll(List.of(arguments));
        argv.add(built.deb().toString());
        BuiltPackage.Output output = BuiltPackage.run(Map.of(), argv.toArray(String[]::new));
        assertEquals(0, output.exitCode(), output.toString());
        return output.stdout();
    }

    @Test
    void itHoldsTheLauncherJarServiceFilesCompletionAndManPages() {
        String listing = dpkgDeb("-c");
        for (String path : List.of("./usr/bin/nspawn-runner -> ../lib/nspawn-runner/bin/nspawn-runner",
                "./usr/lib/nspawn-runner/bin/nspawn-runner", "./usr/lib/nspawn-runner/bin/build-cds-archive",
                "./usr/lib/nspawn-runner/lib/nspawn-runner.jar",
                "./usr/lib/nspawn-runner/lib/nspawn-runner-lava.jar",
                "./usr/lib/nspawn-runner/libexec/run-stage.bash", "./usr/lib/nspawn-runner/libexec/service-call.bash",
                "./usr/lib/nspawn-runner/rootfs-builder/debian-rootfs",
                "./usr/lib/nspawn-runner/rootfs-builder/add-lava-commands",
                "./usr/lib/systemd/system/nspawn-runner.service",
                "./usr/lib/systemd/system/nspawn-runner-upgrade@.service",
                "./usr/lib/systemd/system/nspawn-runner-upgrade@.timer",
                "./usr/lib/systemd/system/nspawn-runner-chroot-follow@.service",
                "./usr/lib/systemd/system/nspawn-runner-chroot-follow@.timer",
                "./usr/share/man/man1/nspawn-runner-chroot-follow.1.gz",
                "./usr/share/dbus-1/system.d/io.github.nspawnrunner.Executor1.conf",
                "./etc/nspawn-runner/nspawn-runner.toml",
                "./usr/share/bash-completion/completions/nspawn-runner", "./usr/share/zsh/vendor-completions/_nspawn-runner",
                "./usr/share/man/man1/nspawn-runner.1.gz", "./usr/share/man/man1/nspawn-runner-chroot-create.1.gz",
                "./usr/share/man/man1/nspawn-runner-setup.1.gz", "./usr/share/man/man1/nspawn-runner-jobs-gc.1.gz",
                "./usr/share/man/man1/nspawn-runner-profiles.1.gz",
                "./usr/share/doc/nspawn-runner/copyright", "./usr/share/doc/nspawn-runner/changelog.gz")) {
            assertTrue(listing.lines().anyMatch(line -> line.endsWith(" " + path)), path + " missing from\n" + listing);
        }
        // nothing built on this machine for its own JDK (the class-data archive is postinst's)
        assertFalse(listing.contains(".jsa"), listing);
        assertTrue(listing.lines().allMatch(line -> line.contains(" root/root ")), listing);
    }

    @Test
    void itsControlFieldsNameItsDependenciesAndTheConfigIsAConffile() {
        assertEquals(built.version(), dpkgDeb("-f").lines().filter(l -> l.startsWith("Version: ")).findFirst()
                .orElseThrow().substring("Version: ".length()));
        assertTrue(built.version().matches("[0-9][0-9.]*(~[A-Za-z0-9.]+)?"), built.version());
        String info = dpkgDeb("-I");
        assertTrue(info.contains(" Architecture: all\n"), info);
        assertTrue(info.contains(" Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, systemd-container,"
                + " dbus, mmdebstrap | debootstrap, iproute2, nftables\n"), info);
        assertEquals("/etc/nspawn-runner/nspawn-runner.toml", conffiles().trim());
    }

    private String conffiles() {
        BuiltPackage.Output output = BuiltPackage.run(Map.of(), "dpkg-deb", "-I", built.deb().toString(), "conffiles");
        assertEquals(0, output.exitCode(), output.toString());
        return output.stdout();
    }

    @Test
    void theConffileChangesNothingEveryKeyIsCommentedOut() {
        String config = fileInPackage("./etc/nspawn-runner/nspawn-runner.toml");
        assertTrue(config.contains("# chroots_dir = \"/var/lib/nspawn-runner/chroots\""), config);
        assertTrue(config.contains("\n# default_profile = \"default\"\n# profiles_allowed = []\n"), config);
        assertTrue(config.contains("\n# device_wait_seconds = 600\n"), config);
        assertTrue(config.contains("\n# [profiles.kvm]\n"), config);
        List<String> active = config.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(List.of(), active, "keys the packaged config sets");
    }

    @Test
    void lintianFindsNoErrors() {
        BuiltPackage.Output lintian = BuiltPackage.run(Map.of(), "lintian", "--fail-on", "error", built.deb().toString());
        assertEquals(0, lintian.exitCode(), lintian.toString());
        assertFalse(lintian.stdout().lines().anyMatch(l -> l.startsWith("E: ")), lintian.stdout());
    }

    @Test
    void theServicesUnitHasAnInstallSectionSoLintianHasNothingToSayAboutIt() {
        // the maintainer scripts enable it (DebianPackageIT checks that in a booted host)
        String unit = fileInPackage("./usr/lib/systemd/system/nspawn-runner.service");
        assertTrue(unit.contains("\n[Install]\n") && unit.endsWith("\nWantedBy=multi-user.target\n"), unit);
        BuiltPackage.Output lintian = BuiltPackage.run(Map.of(), "lintian", "--display-info", built.deb().toString());
        assertFalse(lintian.stdout().contains("systemd-service-file-missing-install-key"), lintian.stdout());
    }

    private String fileInPackage(String path) {
        BuiltPackage.Output output = BuiltPackage.run(Map.of(), "sh", "-c",
                "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - \"$1\"", built.deb().toString(), path);
        assertEquals(0, output.exitCode(), output.toString());
        return output.stdout();
    }
}
