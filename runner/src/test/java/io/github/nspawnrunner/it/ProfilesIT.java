package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job profiles in the test host, whose cgroups enforce device policies: what a profile grants a
 * job gets and uses, a job on the default profile does not, an exclusive device goes to one job
 * at a time, and a job cannot select what the admin did not allow.
 */
@ExtendWith(TestHostExtension.class)
class ProfilesIT {
    private static final AtomicLong JOB_IDS = new AtomicLong(830_000);
    private static final String CONFIG = "/etc/nspawn-runner/profiles-it.toml";
    private static final String DISK = "/dev/nsr-it-disk0";
    private static final String FUSE = "/dev/nsr-it-fuse";
    /** On the state dir's real disk: idmapped mounts (a user namespace's host dirs) need ext4, xfs or btrfs, not overlayfs. */
    private static final String SHARED = TestHost.STATE_DIR + "/profiles-it-dirs";
    private static final String MARKER = "profile-disk-marker-" + ProcessHandle.current().pid();

    private static Path backing;
    private static String loopDevice;

    private final Host host;

    ProfilesIT(Host host) {
        this.host = host;
    }

    /** A loop device of this machine with a marker on it, as the test host's DISK; a FUSE node; the host dirs; the config. */
    @BeforeAll
    static void hardware(Host host) throws Exception {
        backing = Files.createTempFile("nsr-profile", ".img");
        Files.writeString(backing, MARKER + "\n");
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
            file.setLength(1 << 20);
        }
        loopDevice = ThisMachine.run("losetup", "--find", "--show", backing.toString());
        String[] majorMinor = ThisMachine.run("stat", "-c", "%t %T", loopDevice).split(" ");
        ExecResult nodes = host.shell("set -e; mknod -m 0660 " + DISK + " b " + Integer.parseInt(majorMinor[0], 16) + " "
                + Integer.parseInt(majorMinor[1], 16) + "; mknod -m 0666 " + FUSE + " c 10 229; mkdir -p " + SHARED + "/rw "
                + SHARED + "/ro; echo reference > " + SHARED + "/ro/file; mkdir -p /etc/nspawn-runner; cat > " + CONFIG + " <<'EOF'\n"
                + "profiles_allowed = [\"disk\", \"fuse\", \"dirs\", \"second-only\", \"engines\"]\n"
                + "device_wait_seconds = 90\n"
                + "[profiles.disk]\ndevices = [\"/dev/nsr-it-disk*\"]\nuser_namespace = false\n"
                + "[profiles.fuse]\nshared_devices = [\"" + FUSE + "\"]\n"
                + "[profiles.dirs]\nhost_dirs = [\"" + SHARED + "/rw:/shared:rw\", \"" + SHARED + "/ro:/reference\"]\n"
                + "[profiles.second-only]\nchroots = [\"" + TestHostExtension.SECOND_CHROOT + "\"]\n"
                + "[profiles.hidden]\nshared_devices = [\"" + FUSE + "\"]\n"
                + "[profiles.engines]\ncontainer_engines = true\n"
                + "EOF");
        assertEquals(0, nodes.exitCode(), nodes.toString());
    }

    @AfterAll
    static void unplug(Host host) throws Exception {
        host.shell("rm -rf " + DISK + " " + FUSE + " " + SHARED + " " + CONFIG);
        ThisMachine.run("losetup", "-d", loopDevice);
        Files.delete(backing);
    }

    private SimulatedJob job(String profile) {
        SimulatedJob job = new SimulatedJob(host, JOB_IDS.incrementAndGet(), 83).runnerSetting("NSPAWN_RUNNER_CONFIG", CONFIG);
        return profile == null ? job : job.variable("NSPAWN_RUNNER_PROFILE", profile);
    }

    @Test
    void aJobOnAProfileWithADeviceUsesItAndAJobOnTheDefaultProfileDoesNotSeeIt() {
        JobRun granted = job("disk").run(Map.of("build_script", "head -n 1 " + DISK));
        assertFalse(granted.failed(), granted.toString());
        assertEquals(MARKER, granted.stage("build_script").stdout(), granted.toString());
        assertTrue(granted.prepare().stderr().contains("profile disk"), granted.prepare().toString());
        JobRun plain = job(null).run(Map.of("build_script", "ls " + DISK + " " + FUSE + " 2>&1; true"));
        assertTrue(plain.stage("build_script").stdout().contains("No such file or directory"), plain.toString());
        assertFalse(plain.stage("build_script").stdout().contains(MARKER));
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void aSharedDeviceIsOpenedInAUserNamespaceByTwoJobsAtOnce() {
        SimulatedJob first = job("fuse");
        SimulatedJob second = job("fuse");
        assertEquals(0, first.prepare().exitCode());
        try {
            assertEquals(0, second.prepare().exitCode());
            for (SimulatedJob job : List.of(first, second)) {
                ExecResult opened = job.runStage("build_script", "exec 3<>" + FUSE + " && echo opened; cat /proc/self/uid_map");
                assertTrue(opened.stdout().startsWith("opened\n"), opened.toString());
                assertFalse(opened.stdout().contains("4294967295"), "not in a user namespace: " + opened);
            }
        } finally {
            assertEquals(0, second.cleanup().exitCode());
            assertEquals(0, first.cleanup().exitCode());
        }
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void anExclusiveDeviceIsHeldByOneJobTheNextWaitsAndGetsItOnceTheFirstEnds() throws Exception {
        SimulatedJob first = job("disk");
        SimulatedJob second = job("disk");
        assertEquals(0, first.prepare().exitCode());
        RunnerProcess waiting;
        try {
            waiting = second.startPrepare();
            ExecResult holder = host.shell("for i in $(seq 100); do ls /run/nspawn-runner/devices 2>/dev/null | grep -q . && break;"
                    + " sleep 0.05; done; readlink /run/nspawn-runner/devices/*");
            assertEquals(first.machine(), holder.stdout().trim(), holder.toString());
            waiting.awaitError("waiting for device " + DISK, Duration.ofSeconds(60));
            assertEquals(MARKER, first.runStage("build_script", "head -n 1 " + DISK).stdout());
            assertFalse(host.shell("machinectl list --no-legend").stdout().contains(second.machine()),
                    "the second job started while the first held the device");
            assertTrue(waiting.isAlive(), "the second prepare ended while the first job held the device");
        } finally {
            assertEquals(0, first.cleanup().exitCode());
        }
        ExecResult prepared = waiting.await(Duration.ofSeconds(60));
        try {
            assertEquals(0, prepared.exitCode(), prepared.toString());
            assertTrue(prepared.stderr().contains("waiting for device " + DISK + ", held by machine " + first.machine()
                    + ", up to 90 s"), prepared.toString());
            assertEquals(MARKER, second.runStage("build_script", "head -n 1 " + DISK).stdout());
        } finally {
            assertEquals(0, second.cleanup().exitCode());
        }
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void aProfileThatIsUnknownNotAllowedOrForAnotherChrootIsRefusedAtPrepareInOneLine() {
        Map<String, String> refusals = Map.of(
                "nope", "job variable NSPAWN_RUNNER_PROFILE=nope names no profile of this runner; jobs may select default,"
                        + " disk, fuse, dirs, second-only, engines",
                "hidden", "job variable NSPAWN_RUNNER_PROFILE=hidden names a profile that jobs may not select",
                "second-only", "profile second-only may be used with chroots " + TestHostExtension.SECOND_CHROOT
                        + ", not with " + TestHostExtension.DEFAULT_CHROOT);
        refusals.forEach((profile, message) -> {
            ExecResult prepare = job(profile).prepare();
            assertEquals(1, prepare.exitCode(), "a build failure, the job's own choice: " + prepare);
            assertEquals(1, prepare.stderrLines().size(), prepare.toString());
            assertTrue(prepare.stderr().startsWith("nspawn-runner: error: " + message), prepare.toString());
            ExecutorIT.assertHostClean(host);
        });
        JobRun allowed = job("second-only").variable("CI_JOB_IMAGE", TestHostExtension.SECOND_CHROOT)
                .run(Map.of("build_script", "true"));
        assertFalse(allowed.failed(), allowed.toString());
    }

    @Test
    void aReadWriteHostDirectoryWrittenByOneJobIsReadByTheNextAndAReadOnlyOneCannotBeWritten() {
        JobRun writer = job("dirs").run(Map.of("build_script", "echo from-first-job > /shared/handover && cat /reference/file"
                + " && if (echo x > /reference/new) 2>&1; then echo written; fi"));
        assertFalse(writer.failed(), writer.toString());
        String out = writer.stage("build_script").stdout();
        assertTrue(out.startsWith("reference\n") && out.contains("Read-only file system") && !out.contains("written"), writer.toString());
        JobRun reader = job("dirs").run(Map.of("build_script", "cat /shared/handover && stat -c %U /shared/handover"));
        assertEquals("from-first-job\nroot", reader.stage("build_script").stdout(), reader.toString());
        ExecResult onHost = host.shell("stat -c '%U %s' " + SHARED + "/rw/handover; ls " + SHARED + "/ro");
        assertEquals("root 15\nfile", onHost.stdout(), "owned by the host's root (idmapped), nothing new in the read-only one: " + onHost);
        ExecutorIT.assertHostClean(host);
    }

    /** The offline image: a tarball of the job's own root filesystem's few files that echo needs. */
    private static final String PODMAN_RUN = "tar -C / -cf /tmp/self.tar bin lib lib64 usr/bin/echo usr/lib64"
            + " usr/lib/x86_64-linux-gnu/libc.so.6 usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
            + " && podman import -q /tmp/self.tar local/self > /dev/null && podman run --rm local/self echo hello-from-inner";

    @Test
    void withContainerEnginesAJobRunsPodmanOnAnImageItMadeAndWithoutThemThePlainRunFailsAndSaysWhy() {
        JobRun engines = job("engines").variable("CI_JOB_IMAGE", TestHostExtension.PODMAN_CHROOT)
                .run(Map.of("build_script", PODMAN_RUN + " && podman info --format '{{.Store.GraphDriverName}}'"));
        assertFalse(engines.failed(), engines.toString());
        assertEquals("hello-from-inner\noverlay", engines.stage("build_script").stdout(), engines.toString());
        JobRun plain = job(null).variable("CI_JOB_IMAGE", TestHostExtension.PODMAN_CHROOT).run(Map.of("build_script", PODMAN_RUN));
        assertTrue(plain.failed(), plain.toString());
        assertTrue(plain.stage("build_script").stderr().contains("fuse: device not found"), "the log says why: " + plain);
        ExecutorIT.assertHostClean(host);
    }

    @Test
    void theAdminListsTheProfilesAndWhatEachGrants() throws Exception {
        ExecResult listed = host.adminCli("profiles", "--config", CONFIG, "--json");
        assertEquals(0, listed.exitCode(), listed.toString());
        var profiles = new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.stdout());
        assertEquals(List.of("default", "dirs", "disk", "engines", "fuse", "hidden", "second-only"),
                java.util.stream.StreamSupport.stream(profiles.spliterator(), false).map(p -> p.get("name").asText()).toList());
        var disk = profiles.get(2);
        assertEquals("[\"/dev/nsr-it-disk*\"]", disk.get("devices").toString());
        assertFalse(disk.get("user_namespace").asBoolean());
        assertFalse(profiles.get(5).get("selectable").asBoolean(), "hidden is not in profiles_allowed");
        ExecResult table = host.adminCli("profiles", "--config", CONFIG);
        assertTrue(table.stdout().startsWith("NAME "), table.toString());
        assertTrue(table.stdout().contains("\ndisk:\n  devices          /dev/nsr-it-disk*\n"), table.toString());
    }

}
