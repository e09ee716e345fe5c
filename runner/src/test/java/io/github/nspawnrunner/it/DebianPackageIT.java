package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.packaging.BuiltPackage;
import io.github.nspawnrunner.testing.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Debian package as an admin uses it, in the test host: apt-get installs it (dependencies
 * from the Debian mirror), `setup` passes, a whole job runs through /usr/bin/nspawn-runner and
 * the packaged executor service, which is enabled at boot (it collects orphaned jobs when it
 * starts); an upgrade while the service idles has the next job served by the new version and
 * keeps the admin's enable state; remove masks the service as debhelper's scripts do, purge
 * forgets its enable state; both leave chroots and job state. The test host's root filesystem
 * has the package's Java dependency installed (bin/cached-rootfs): the test host binds this
 * machine's JDK over /usr/lib/jvm, where apt could not unpack one.
 */
@ExtendWith(TestHostExtension.class)
class DebianPackageIT {
    private static final String APT = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 ";
    private static final String SERVICE = "nspawn-runner.service";
    private static final String MARKER_CHROOT = TestHost.CHROOTS_DIR + "/pkgtest";
    private static final String WANTS_LINK = "/etc/systemd/system/multi-user.target.wants/" + SERVICE;

    private final TestHost host;
    /** The test host, with jobs run as gitlab-runner would run the package's launcher: no JAVA_HOME. */
    private final Host installed;

    DebianPackageIT(TestHost host) {
        this.host = host;
        this.installed = new InstalledLauncher(host);
    }

    @Test
    void installedWithAptItRunsJobsUpgradesInPlaceAndPurgeLeavesChrootsAndState() throws IOException {
        BuiltPackage built = BuiltPackage.ofThisBuild();
        assertEquals("", shell("dpkg-query -W -f '${Status}' nspawn-runner 2>/dev/null; true"), "installed before the test");
        assertEquals(0, host.shell("dpkg -s openjdk-17-jre-headless >/dev/null").exitCode(),
                "the test host's rootfs lacks openjdk-17-jre-headless: rebuild it (bin/cached-rootfs testhost)");
        try {
            install(built.deb());
            assertEquals("nspawn-runner " + mavenVersion(built.version()), shell("nspawn-runner --version"));
            assertEquals("loaded", shell("systemctl show -P LoadState " + SERVICE));
            // enabled at boot, the Debian way (deb-systemd-helper), and not started by the installation
            assertEquals("enabled", shell("systemctl is-enabled " + SERVICE));
            // deb-systemd-helper links to /lib/systemd/system/..., the same file with merged /usr
            assertEquals("/usr/lib/systemd/system/" + SERVICE, shell("readlink -f " + WANTS_LINK));
            assertEquals("inactive", shell("systemctl is-active " + SERVICE + "; true"));
            // what boot does: multi-user.target pulls the service in, which runs its first orphan round
            assertEquals(0, host.shell("systemctl start multi-user.target").exitCode());
            assertEquals("active", shell("systemctl is-active " + SERVICE + "; true"));
            String journal = pollJournal("job directories for orphans in ");
            assertTrue(journal.contains("serving io.github.nspawnrunner.Executor1 for /usr/lib/nspawn-runner/lib/nspawn-runner.jar"),
                    journal);
            // postinst built the class-data archive for this host's Java
            assertEquals(0, host.shell("test -s /usr/lib/nspawn-runner/lib/nspawn-runner.jar.jsa").exitCode());

            ExecResult setup = installed.adminCli("setup", "--no-chroot");
            assertEquals(0, setup.exitCode(), setup.toString());
            assertTrue(setup.stdout().contains("run_exec = \"/usr/bin/nspawn-runner\""), setup.toString());
            assertTrue(setup.stderr().contains("the executor service comes with the Debian package"), setup.toString());

            // the package owns the service's files: nothing to install, and apt removes them
            ExecResult serviceInstall = installed.adminCli("service", "install");
            assertEquals(0, serviceInstall.exitCode(), serviceInstall.toString());
            assertTrue(serviceInstall.stderr().contains("installed the executor service already"), serviceInstall.toString());
            ExecResult serviceRemove = installed.adminCli("service", "remove");
            assertNotEquals(0, serviceRemove.exitCode(), serviceRemove.toString());
            assertTrue(serviceRemove.stderr().contains("'apt remove nspawn-runner' removes it"), serviceRemove.toString());
            assertEquals(1, host.shell("test -e /etc/systemd/system/" + SERVICE).exitCode());

            // chroot create runs the package's debian-rootfs (its mirror check answers first)
            ExecResult create = installed.adminCli("chroot", "create", "pkgtest-offline", "--mirror", "http://127.0.0.1:9/debian");
            assertNotEquals(0, create.exitCode(), create.toString());
            assertTrue(create.stderr().contains("cannot reach the mirror http://127.0.0.1:9/debian"), create.toString());
            assertEquals(1, host.shell("test -e " + TestHost.CHROOTS_DIR + "/pkgtest-offline").exitCode());

            JobRun first = newJob(1).run(Map.of("build_script", "echo built on $(cat /etc/debian_version | cut -c1-2)"));
            assertFalse(first.failed(), first.toString());
            assertEquals("built on 12", first.stage("build_script").stdout().trim(), first.toString());
            assertFalse(first.toString().contains("did not take"), "not served by the packaged service: " + first);
            String oldService = shell("systemctl show -P MainPID " + SERVICE);
            assertNotEquals("0", oldService, "the service is not running after a job");

            // while the service idles: a package with a higher version and a jar that says so; the
            // admin disabled the service at boot, and the upgrade respects that
            assertEquals(0, host.shell("systemctl disable " + SERVICE).exitCode());
            String newVersion = mavenVersion(built.version()) + ".1";
            install(rebuilt(built, newVersion));
            assertEquals("nspawn-runner " + newVersion, shell("nspawn-runner --version"));
            assertEquals("disabled", shell("systemctl is-enabled " + SERVICE + "; true"));
            assertEquals(0, host.shell("systemctl enable " + SERVICE).exitCode());
            JobRun next = newJob(2).run(Map.of("build_script", "true"));
            assertFalse(next.failed(), next.toString());
            assertTrue(next.config().stdout().contains("\"" + newVersion + "\""), next.toString());
            ExecResult served = newJob(3).config();
            assertEquals(0, served.exitCode(), served.toString());
            assertTrue(served.stdout().contains("\"" + newVersion + "\""), served.toString());
            assertFalse(served.stderr().contains("did not take"), "the new version's service did not answer: " + served);
            String newService = shell("systemctl show -P MainPID " + SERVICE);
            assertNotEquals(oldService, newService, "the old service still serves");
            assertNotEquals("0", newService);

            // a managed chroot and the jobs' state, as the admin's data
            assertEquals(0, host.shell("mkdir -p " + TestHost.CHROOTS_DIR + "/.versions/pkgtest/v1 && ln -s .versions/pkgtest/v1 "
                    + MARKER_CHROOT + " && touch " + TestHost.STATE_DIR + "/pkgtest-marker").exitCode());
            String data = shell(dataListing());
            assertEquals(0, host.shell(APT + "remove nspawn-runner").exitCode());
            // masked until purge, as debhelper's postrm does: a reinstall finds it enabled again
            assertEquals("masked", shell("systemctl show -P LoadState " + SERVICE));
            assertEquals("inactive", shell("systemctl is-active " + SERVICE + "; true"));
            assertEquals(1, host.shell("test -e /usr/bin/nspawn-runner").exitCode());
            assertEquals(1, host.shell("test -e /usr/lib/nspawn-runner").exitCode(), "files left in /usr/lib/nspawn-runner");
            assertEquals(0, host.shell("test -f /etc/nspawn-runner/nspawn-runner.toml").exitCode(), "remove took the conffile");
            assertEquals(data, shell(dataListing()));

            assertEquals(0, host.shell(APT + "purge --autoremove nspawn-runner").exitCode());
            assertEquals(1, host.shell("test -e /etc/nspawn-runner").exitCode(), "purge left the conffile");
            assertEquals("not-found", shell("systemctl show -P LoadState " + SERVICE));
            for (String left : List.of(WANTS_LINK, "/etc/systemd/system/" + SERVICE,
                    "/var/lib/systemd/deb-systemd-helper-enabled/" + SERVICE + ".dsh-also",
                    "/var/lib/systemd/deb-systemd-helper-masked/" + SERVICE)) {
                assertEquals(1, host.shell("test -e " + left + " || test -L " + left).exitCode(), "purge left " + left);
            }
            assertEquals(data, shell(dataListing()));
            assertTrue(data.contains("-rw-r--r-- " + TestHost.STATE_DIR + "/pkgtest-marker\n"), data);
            assertTrue(data.contains("lrwxrwxrwx " + MARKER_CHROOT + " .versions/pkgtest/v1\n"), data);
            assertTrue(data.contains("drwxr-xr-x " + TestHost.CHROOTS_DIR + "/.versions/pkgtest/v1 \n"), data);
        } finally {
            host.shell(APT + "purge --autoremove nspawn-runner; rm -rf " + MARKER_CHROOT + " " + TestHost.CHROOTS_DIR
                    + "/.versions/pkgtest " + TestHost.STATE_DIR + "/pkgtest-marker");
        }
    }

    /** The service's journal once it holds TEXT (90 s at most). */
    private String pollJournal(String text) {
        String journal = Poll.until(java.time.Duration.ofSeconds(90), () -> shell("journalctl -u " + SERVICE + " -o cat --no-pager"),
                lines -> lines.contains(text));
        assertTrue(journal.contains(text), "not in the service's journal: " + text + "\n" + journal);
        return journal;
    }

    private SimulatedJob newJob(int n) {
        return new SimulatedJob(installed, 1_600_000 + ProcessHandle.current().pid() % 1000 * 10 + n, 16);
    }

    /** Chroots (names, links, versions) and the state dir's top, as ls shows them. */
    private static String dataListing() {
        return "find " + TestHost.CHROOTS_DIR + " -maxdepth 3 -not -path '*/bookworm*/*' -printf '%M %p %l\\n' | sort;"
                + " find " + TestHost.STATE_DIR + " -maxdepth 1 -printf '%M %p\\n' | sort";
    }

    private void install(Path deb) {
        ExecResult apt = host.shell(APT + "update && " + APT + "install " + deb);
        assertEquals(0, apt.exitCode(), apt.toString());
        assertTrue(apt.stdout().contains("Setting up nspawn-runner"), apt.toString());
    }

    private String shell(String command) {
        ExecResult result = host.shell(command);
        assertEquals(0, result.exitCode(), command + ": " + result);
        return result.stdout().trim();
    }

    /** 0.1.0~SNAPSHOT is Maven's 0.1.0-SNAPSHOT. */
    private static String mavenVersion(String debianVersion) {
        return debianVersion.replace('~', '-');
    }

    /** The package again, with VERSION as its version and in its jar's manifest, built by bin/build-deb. */
    private static Path rebuilt(BuiltPackage built, String version) throws IOException {
        Path dir = built.target().resolve("deb-upgrade");
        assertEquals(0, BuiltPackage.run(Map.of(), "rm", "-rf", dir.toString()).exitCode());
        Files.createDirectories(dir);
        Path jar = dir.resolve("nspawn-runner.jar");
        Files.copy(built.target().resolve("nspawn-runner.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(built.target().resolve("nspawn-runner-lava.jar"), dir.resolve("nspawn-runner-lava.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path path = zip.getPath("META-INF/MANIFEST.MF");
            Manifest manifest;
            try (InputStream in = Files.newInputStream(path)) {
                manifest = new Manifest(in);
            }
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
            try (OutputStream out = Files.newOutputStream(path)) {
                manifest.write(out);
            }
        }
        BuiltPackage.Output build = BuiltPackage.run(Map.of(), built.target().resolveSibling("bin/build-deb").toString(),
                jar.toString(), version, System.getProperty("it.picocli.codegen"));
        assertEquals(0, build.exitCode(), build.toString());
        return dir.resolve("nspawn-runner_" + version.replace('-', '~') + "_all.deb");
    }

    /** HOST with the package's launcher as gitlab-runner's config names it, run without JAVA_HOME. */
    private record InstalledLauncher(TestHost host) implements Host {
        @Override
        public RunnerProcess start(List<String> argv, Map<String, String> environment, String workingDirectory) {
            return host.start(argv, environment, workingDirectory);
        }

        @Override
        public String cli() {
            return "/usr/bin/nspawn-runner";
        }

        @Override
        public String javaHome() {
            return "";
        }

        @Override
        public Path workDir() {
            return host.workDir();
        }

        @Override
        public String jobsRootInside() {
            return host.jobsRootInside();
        }

        @Override
        public Map<String, String> runnerEnvironment() {
            return host.runnerEnvironment();
        }

        @Override
        public String urlFromInside(String loopbackUrl) {
            return host.urlFromInside(loopbackUrl);
        }
    }
}
