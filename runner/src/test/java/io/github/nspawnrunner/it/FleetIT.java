package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet through a registry, for real in the test host: a build host's chroots dir pushes a
 * bootable chroot (the job chroot without its JVM, docs and apt lists) to a password-protected
 * docker-registry on 127.0.0.1, and the test host's own nspawn-runner-chroot-follow@.service,
 * started by systemd with its credentials from the root-only EnvironmentFile, keeps a second
 * chroots dir at the tag, while jobs run on it.
 */
@ExtendWith(TestHostExtension.class)
class FleetIT {
    private static final String REGISTRY = "127.0.0.1:5002";
    private static final String REGISTRY_UNIT = "fleet-it-registry";
    private static final String USER = "fleet";
    /** Letters, digits and dashes: CommandLineScan looks for it in every command line. */
    private static final String PASSWORD = "fleet-pw-" + ProcessHandle.current().pid();
    private static final String WORK = TestHost.STATE_DIR + "/fleet-it-work";
    /** The build host's chroots dir, and the following host's. */
    private static final String BUILD = TestHost.MANAGED_CHROOTS_DIR + "/fleet-it-build";
    private static final String FOLLOWER = TestHost.MANAGED_CHROOTS_DIR + "/fleet-it";
    /** A third host's, where `chroot pull` installs by hand. */
    private static final String PULLED = TestHost.MANAGED_CHROOTS_DIR + "/fleet-it-pulled";
    private static final String CONFIG = "/etc/nspawn-runner/fleet-it.toml";
    private static final String CREDENTIALS = "/etc/nspawn-runner/registry.env";
    private static final String TAG = REGISTRY + "/fleet/bookworm:stable";
    private static final String SERVICE = "nspawn-runner-chroot-follow@bookworm.service";
    private static final String DROP_IN = "/run/systemd/system/nspawn-runner-chroot-follow@.service.d";

    private final Host host;

    FleetIT(Host host) {
        this.host = host;
    }

    @BeforeAll
    static void registryAndUnits(Host host) throws Exception {
        Path project = Path.of(System.getProperty("it.project.dir"));
        for (String unit : List.of("nspawn-runner-chroot-follow@.service", "nspawn-runner-chroot-follow@.timer")) {
            // the example assumes an installation in /opt/nspawn-runner; this one is the checkout
            Files.writeString(host.jobsRootOutside().resolve(unit), Files.readString(project.resolve("etc/systemd").resolve(unit))
                    .replace("/opt/nspawn-runner", project.toString()));
        }
        ExecResult setup = host.shell("set -euo pipefail\n"
                + "mkdir -p /etc/containers/registries.conf.d /etc/docker/registry /etc/nspawn-runner " + WORK + " " + DROP_IN + "\n"
                + "printf '[[registry]]\\nlocation = \"%s\"\\ninsecure = true\\n' " + REGISTRY
                + " > /etc/containers/registries.conf.d/fleet-it.conf\n"
                + "htpasswd -Bin " + USER + " > /etc/docker/registry/fleet-it-htpasswd <<< '" + PASSWORD + "'\n"
                + "printf 'version: 0.1\\nlog:\\n  accesslog:\\n    disabled: false\\nstorage:\\n  filesystem:\\n    rootdirectory: "
                + WORK + "/registry\\nhttp:\\n  addr: " + REGISTRY + "\\nauth:\\n  htpasswd:\\n    realm: fleet\\n    path:"
                + " /etc/docker/registry/fleet-it-htpasswd\\n' > /etc/docker/registry/fleet-it.yml\n"
                + "systemd-run --quiet --unit=" + REGISTRY_UNIT + " docker-registry serve /etc/docker/registry/fleet-it.yml\n"
                + "for i in $(seq 100); do [ \"$(curl -s -o /dev/null -w '%{http_code}' http://" + REGISTRY + "/v2/)\" = 401 ] && break;"
                + " sleep 0.1; done\n"
                // the build host's chroot: bootable, ~240 MB (the job chroot without its JVM, docs and apt lists)
                + "rm -rf " + BUILD + " " + FOLLOWER + "; mkdir -p " + BUILD + "/bookworm\n"
                + "tar -C " + TestHost.CHROOTS_DIR + "/" + TestHostExtension.DEFAULT_CHROOT + " --exclude=./usr/lib/jvm"
                + " --exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale --exclude=./var/lib/apt/lists"
                + " -cf - . | tar -C " + BUILD + "/bookworm -xf -\n"
                + "echo 1 > " + BUILD + "/bookworm/etc/fleet-build\n"
                // the following host: its config, its credentials file (root's only), the units and how this test runs them
                + "printf 'chroots_dir = \"%s\"\\n[chroot_follow]\\nbookworm = \"%s\"\\n' " + FOLLOWER + " " + TAG + " > " + CONFIG + "\n"
                + "(umask 077; printf 'CI_REGISTRY=%s\\nCI_REGISTRY_USER=%s\\nCI_REGISTRY_PASSWORD=%s\\n' " + REGISTRY + " " + USER + " '"
                + PASSWORD + "' > " + CREDENTIALS + ")\n"
                + "cp " + host.jobsRootInside() + "/nspawn-runner-chroot-follow@.* /etc/systemd/system/\n"
                + "printf '[Service]\\nEnvironment=NSPAWN_RUNNER_CONFIG=%s JAVA_HOME=%s\\n' " + CONFIG + " " + host.javaHome()
                + " > " + DROP_IN + "/fleet-it.conf\n"
                + "systemctl daemon-reload\n");
        assertEquals(0, setup.exitCode(), setup.toString());
    }

    @AfterAll
    static void stopRegistry(Host host) {
        host.shell("systemctl stop " + REGISTRY_UNIT + " nspawn-runner-chroot-follow@bookworm.timer; rm -rf " + WORK + " " + BUILD + " "
                + FOLLOWER + " " + PULLED + " " + CONFIG + " " + CREDENTIALS + " " + DROP_IN + " /etc/systemd/system/nspawn-runner-chroot-follow@.*"
                + " /etc/containers/registries.conf.d/fleet-it.conf /etc/docker/registry/fleet-it*; systemctl daemon-reload");
    }

    private Map<String, String> admin(Map<String, String> more) {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME", host.javaHome()));
        environment.putAll(more);
        return environment;
    }

    /** `chroot push` on the build host, with its credentials in the environment; returns the digest. */
    private String push() {
        ExecResult push = host.exec(List.of(host.cli(), "chroot", "push", "bookworm", TAG), admin(Map.of("NSPAWN_RUNNER_CHROOTS_DIR", BUILD,
                "CI_REGISTRY", REGISTRY, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", PASSWORD)), "/");
        assertEquals(0, push.exitCode(), push.toString());
        String line = push.stdout().trim();
        assertTrue(line.startsWith(REGISTRY + "/fleet/bookworm@sha256:"), push.toString());
        return line.substring(line.indexOf('@') + 1);
    }

    /** Has systemd run the follow service to its end, as the timer does; returns what it logged. */
    private String followService() {
        String since = host.shell("date '+%Y-%m-%d %H:%M:%S.%6N'").stdout().trim();
        ExecResult start = host.shell("systemctl start " + SERVICE + "; systemctl show -P Result " + SERVICE);
        ExecResult journal = host.shell("journalctl -q -o cat -u " + SERVICE + " --since '" + since + "'");
        assertEquals(0, start.exitCode(), start + "\n" + journal);
        assertEquals("success", start.stdout().trim(), start + "\n" + journal);
        return journal.stdout();
    }

    private String currentVersion() {
        return host.shell("readlink " + FOLLOWER + "/bookworm").stdout().trim();
    }

    private List<String> versions() {
        return host.shell("ls " + FOLLOWER + "/.versions/bookworm").stdout().lines().filter(line -> line.startsWith("v")).toList();
    }

    private SimulatedJob jobOn(long id) {
        return new SimulatedJob(host, id, 7).variable("CI_JOB_IMAGE", "bookworm").runnerSetting("NSPAWN_RUNNER_CHROOTS_DIR", FOLLOWER);
    }

    /** Requests the registry logged for the image's manifests and blobs so far. */
    private long[] registryRequests() {
        ExecResult log = host.shell("journalctl -q -o cat -u " + REGISTRY_UNIT);
        return new long[] {log.stdout().lines().filter(line -> line.contains("\"GET /v2/fleet/bookworm/manifests/")).count(),
            log.stdout().lines().filter(line -> line.contains("\"GET /v2/fleet/bookworm/blobs/")).count()};
    }

    /** What `find` and sha256sum say of every file below DIR: path, owner, mode, links, link target, content. */
    private String listing(String dir) {
        ExecResult listing = host.shell("cd " + dir + " && find . -printf '%p %U:%G %m %n %l\\n' | sort"
                + " && find . -type f -exec sha256sum {} + | sort -k2 | sha256sum");
        assertEquals(0, listing.exitCode(), listing.toString());
        return listing.stdout();
    }

    @Test
    void theTimersServiceKeepsAHostAtTheTagAndJobsKeepTheVersionTheyStartedOn() {
        String first = push();
        CommandLineScan scan = CommandLineScan.start(host, PASSWORD);
        String installed = followService();
        assertTrue(installed.contains("chroot 'bookworm' follows " + TAG + ": the chroot does not exist yet"), installed);
        assertTrue(installed.contains("installing " + TAG + "@" + first + " as a new version of chroot 'bookworm'"), installed);
        String v1 = currentVersion();
        assertEquals(listing(BUILD + "/bookworm"), listing(FOLLOWER + "/bookworm"), "the pulled chroot is the pushed one");
        assertTrue(host.shell("cat " + FOLLOWER + "/.versions/bookworm/chroot.properties").stdout()
                .contains("image_digest=" + first.replace(":", "\\:")), "the digest is recorded beside the version");
        ExecResult list = host.exec(List.of(host.cli(), "chroot", "list", "--json"), admin(Map.of("NSPAWN_RUNNER_CONFIG", CONFIG)), "/");
        assertTrue(list.stdout().contains("\"image\" : \"" + TAG + "@" + first + "\""), list.toString());

        // a job runs on the pulled chroot, and holds its version while the tag moves
        SimulatedJob old = jobOn(910_001);
        ExecResult prepared = old.prepare();
        assertEquals(0, prepared.exitCode(), prepared.toString());
        try {
            RunnerProcess running = old.startStage("build_script",
                    "echo started $(cat /etc/fleet-build); while [ ! -e /root/stop ]; do sleep 0.1; done; cat /etc/fleet-build");
            running.awaitOutput("started 1", Duration.ofSeconds(30));

            // nothing moved: one manifest request, no blob, no new version, no switch
            long[] before = registryRequests();
            ExecResult same = host.exec(List.of(host.cli(), "chroot", "follow", "bookworm"), admin(Map.of("NSPAWN_RUNNER_CONFIG", CONFIG,
                    "CI_REGISTRY", REGISTRY, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", PASSWORD)), "/");
            assertEquals(0, same.exitCode(), same.toString());
            assertEquals(TAG + "@" + first + " " + v1.substring(v1.lastIndexOf('/') + 1), same.stdout().trim(), same.toString());
            assertTrue(same.stderr().contains("follows " + TAG + ": it is at " + first + " already"), same.toString());
            // the registry's access log reaches the journal a moment later
            long[] after = Poll.until(Duration.ofSeconds(10), this::registryRequests, requests -> requests[0] > before[0]);
            assertEquals(1, after[0] - before[0], "one manifest request");
            assertEquals(0, after[1] - before[1], "no blob fetched");
            assertEquals(v1, currentVersion());
            assertEquals(1, versions().size());
            assertFalse(followService().contains("installing"), "the service finds nothing to do either");

            // the build host moves the tag: the next run switches, the running job keeps its version
            host.shell("echo 2 > " + BUILD + "/bookworm/etc/fleet-build");
            String second = push();
            assertNotEquals(first, second);
            String moved = followService();
            assertTrue(moved.contains("the tag moved from " + first + " to " + second), moved);
            assertTrue(moved.contains("1 running job(s) finish on the previous version"), moved);
            assertNotEquals(v1, currentVersion());
            assertEquals(2, versions().size(), "the running job's version stays");

            SimulatedJob fresh = jobOn(910_002);
            JobRun run = fresh.run(Map.of("build_script", "cat /etc/fleet-build"));
            assertEquals("2", run.stage("build_script").stdout(), "new jobs get the tag's new image: " + run);

            host.shell("systemd-run -q -M " + old.machine() + " --wait touch /root/stop");
            ExecResult finished = running.await(Duration.ofSeconds(30));
            assertEquals("started 1\n1", finished.stdout(), "the running job keeps its version: " + finished);
        } finally {
            assertEquals(0, old.cleanup().exitCode());
        }
        assertEquals(1, versions().size(), "the old version goes with its last job");
        scan.stopAndAssertNeverSeen(20);
        ExecResult leaks = host.shell("grep -rlsF --binary-files=text -e '" + PASSWORD + "' " + TestHost.STATE_DIR + " " + FOLLOWER
                + " /tmp /var/tmp /run; journalctl -q -o cat | grep -cF -e '" + PASSWORD + "'");
        assertEquals("0", leaks.stdout().trim(), "the password is in no file but the credentials file, and not in the journal: " + leaks);
        ExecutorIT.assertHostClean(host);
    }

    /** The chroot the build host pushed, pulled by hand on another host: the same files, and a job runs on it. */
    @Test
    void aPushedChrootPulledIntoAnotherChrootsDirHasTheSameFilesAndRunsAJob() {
        push();
        ExecResult pull = host.exec(List.of(host.cli(), "chroot", "pull", TAG, "bookworm"), admin(Map.of("NSPAWN_RUNNER_CHROOTS_DIR", PULLED,
                "CI_REGISTRY", REGISTRY, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", PASSWORD)), "/");
        assertEquals(0, pull.exitCode(), pull.toString());
        assertEquals(listing(BUILD + "/bookworm"), listing(PULLED + "/bookworm"));
        String build = host.shell("cat " + BUILD + "/bookworm/etc/fleet-build").stdout().trim();
        JobRun run = new SimulatedJob(host, 910_003, 7).variable("CI_JOB_IMAGE", "bookworm").runnerSetting("NSPAWN_RUNNER_CHROOTS_DIR", PULLED)
                .run(Map.of("build_script", "cat /etc/fleet-build; cat /proc/1/comm"));
        assertEquals(build + "\nsystemd", run.stage("build_script").stdout(), "a booted job on the pulled chroot: " + run);
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void theTimerLoadsAndSchedulesTheService() {
        ExecResult timer = host.shell("systemctl start nspawn-runner-chroot-follow@bookworm.timer && systemctl show -P ActiveState"
                + " nspawn-runner-chroot-follow@bookworm.timer && systemctl show -P Unit nspawn-runner-chroot-follow@bookworm.timer"
                + " && systemctl list-timers --all --no-legend nspawn-runner-chroot-follow@bookworm.timer");
        host.shell("systemctl stop nspawn-runner-chroot-follow@bookworm.timer");
        assertEquals(0, timer.exitCode(), timer.toString());
        List<String> lines = timer.stdout().lines().toList();
        assertEquals("active", lines.get(0), timer.toString());
        assertEquals(SERVICE, lines.get(1), timer.toString());
        assertTrue(lines.get(2).contains(SERVICE), "scheduled: " + timer);
    }

    @Test
    void aChrootThatFollowsNothingIsAOneLineUsageError() {
        ExecResult none = host.exec(List.of(host.cli(), "chroot", "follow", "trixie"), admin(Map.of("NSPAWN_RUNNER_CONFIG", CONFIG)), "/");
        assertEquals(2, none.exitCode(), none.toString());
        assertEquals(List.of("nspawn-runner: error: chroot 'trixie' follows no image: add trixie = \"registry.example.com/fleet/trixie:stable\""
                + " to the [chroot_follow] table of " + CONFIG + ", or name the image: nspawn-runner chroot follow trixie REFERENCE"),
                none.stderrLines());
    }
}
