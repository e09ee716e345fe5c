package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `nspawn-runner chroot` for real: mmdebstrap, nspawn, apt, and an upgrade while a job runs on
 * the chroot, inside the booted test host.
 */
@ExtendWith(TestHostExtension.class)
class ChrootManagementIT {
    private static final String CHROOTS = TestHost.MANAGED_CHROOTS_DIR;
    private static final String MAINTENANCE = "echo maintained >> /etc/maintenance-log\n";

    private final Host host;

    ChrootManagementIT(Host host) {
        this.host = host;
    }

    @AfterEach
    void leavesNothingBehind() {
        ExecutorIT.assertHostClean(host);
    }

    private ExecResult admin(String... args) {
        List<String> argv = new ArrayList<>(List.of(host.cli()));
        argv.addAll(List.of(args));
        return host.exec(argv, Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME", host.javaHome(), "NSPAWN_RUNNER_CHROOTS_DIR", CHROOTS), "/");
    }

    private SimulatedJob jobOn(String chroot, long id) {
        return new SimulatedJob(host, id, 5).variable("CI_JOB_IMAGE", chroot)
                .runnerSetting("NSPAWN_RUNNER_CHROOTS_DIR", CHROOTS);
    }

    private List<String> versions(String name) throws IOException {
        try (Stream<Path> entries = Files.list(host.workDir().resolve("chroots/.versions").resolve(name))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v")).sorted().toList();
        }
    }

    @Test
    void createUpgradeWhileAJobRunsLoginAndRemove() throws IOException {
        Path script = host.jobsRootOutside().resolve("maintenance.sh");
        Files.writeString(script, MAINTENANCE);
        String scriptInside = host.jobsRootInside() + "/maintenance.sh";

        ExecResult create = admin("chroot", "create", "demo", "--packages", "procps", "--script", scriptInside);
        assertEquals(0, create.exitCode(), create.toString());
        // the test host has mmdebstrap and debootstrap: the faster one builds, and says so
        assertTrue(create.stderrLines().contains("debian-rootfs: building with mmdebstrap"), create.toString());
        assertTrue(create.stderrLines().stream().anyMatch(l -> l.startsWith("[mmdebstrap] ")), "no progress shown: " + create);
        assertTrue(Files.isSymbolicLink(host.workDir().resolve("chroots/demo")));
        ExecResult inside = admin("chroot", "login", "demo", "--", "sh", "-c",
                "for c in submit monitor-file git bash; do command -v $c; done && java -version 2>&1 | head -1 && wc -l < /etc/maintenance-log");
        assertEquals(0, inside.exitCode(), inside.toString());
        assertTrue(inside.stdout().contains("/usr/local/bin/submit\n/usr/local/bin/monitor-file"), inside.toString());
        assertTrue(inside.stdout().contains("openjdk version"), inside.toString());
        assertTrue(inside.stdout().endsWith("1"), inside.toString());

        ExecResult again = admin("chroot", "create", "demo");
        assertEquals(1, again.exitCode(), again.toString());
        assertEquals(List.of("nspawn-runner: error: chroot 'demo' already exists; change it with 'nspawn-runner chroot upgrade demo'"
                + " or remove it first"), again.stderrLines());

        SimulatedJob old = jobOn("demo", 900_001);
        assertEquals(0, old.prepare().exitCode());
        try {
            RunnerProcess running = old.startStage("build_script",
                    "echo started; while [ ! -e /root/stop ]; do sleep 0.1; done; wc -l < /etc/maintenance-log");
            running.awaitOutput("started", Duration.ofSeconds(30));

            ExecResult upgrade = admin("chroot", "upgrade", "demo");
            assertEquals(0, upgrade.exitCode(), upgrade.toString());
            assertTrue(upgrade.stderr().contains("1 running job(s) finish on the previous version"), upgrade.toString());
            assertEquals(2, versions("demo").size(), "the running job's version must stay");
            assertTrue(admin("chroot", "list", "--no-legend").stdout().matches("(?s)demo\\s+bookworm\\s+\\S+\\s+.*\\s1\\s*"),
                    admin("chroot", "list").toString());

            SimulatedJob fresh = jobOn("demo", 900_002);
            JobRun run = fresh.run(Map.of("build_script", "wc -l < /etc/maintenance-log"));
            assertEquals("2", run.stage("build_script").stdout(), "new jobs get the upgraded version: " + run);

            host.shell("systemd-run -q -M " + old.machine() + " --wait touch /root/stop");
            ExecResult finished = running.await(Duration.ofSeconds(30));
            assertEquals("started\n1", finished.stdout(), "the running job keeps its version: " + finished);
        } finally {
            assertEquals(0, old.cleanup().exitCode());
        }
        assertEquals(1, versions("demo").size(), "the old version goes with its last job");

        ExecResult throwaway = admin("chroot", "login", "demo", "--", "sh", "-c", "touch /etc/throwaway");
        assertEquals(0, throwaway.exitCode(), throwaway.toString());
        assertFalse(Files.exists(host.workDir().resolve("chroots/demo/etc/throwaway")));

        ExecResult persistent = admin("chroot", "login", "--persistent", "demo", "--", "sh", "-c", "touch /etc/persisted");
        assertEquals(0, persistent.exitCode(), persistent.toString());
        assertTrue(Files.exists(host.workDir().resolve("chroots/demo/etc/persisted")));
        assertEquals(1, versions("demo").size(), "no job used the previous version: collected at once");

        ExecResult remove = admin("chroot", "remove", "demo");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertFalse(Files.exists(host.workDir().resolve("chroots/demo"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(host.workDir().resolve("chroots/.versions/demo")));
        assertEquals("", admin("chroot", "list", "--no-legend").stdout());
    }

    @Test
    void unknownChrootsBadNamesAndAnUnreachableMirrorAreClearErrors() {
        ExecResult upgrade = admin("chroot", "upgrade", "nope");
        assertEquals(1, upgrade.exitCode());
        assertEquals(1, upgrade.stderrLines().size(), upgrade.toString());
        assertTrue(upgrade.stderr().startsWith("nspawn-runner: error: chroot 'nope' does not exist"), upgrade.toString());
        ExecResult unreachable = admin("chroot", "create", "offline", "--mirror", "http://127.0.0.1:9/debian");
        assertEquals(1, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.stderr().contains("cannot reach the mirror http://127.0.0.1:9/debian"), unreachable.toString());
        assertFalse(Files.exists(host.workDir().resolve("chroots/offline"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        ExecResult bad = admin("chroot", "remove", "../etc");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.stderrLines().size(), bad.toString());
        assertTrue(bad.stderr().startsWith("nspawn-runner: error: invalid chroot name '../etc'"), bad.toString());
    }
}
