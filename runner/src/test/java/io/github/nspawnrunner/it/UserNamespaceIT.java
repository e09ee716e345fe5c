package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job containers in a user namespace (the default), in a booted test host: root in a job is an
 * unprivileged range of host uids, yet the chroot looks as it should, caches pass from job to
 * job of a project, and the kernel's settings stay out of reach.
 */
@ExtendWith(TestHostExtension.class)
class UserNamespaceIT {
    /** Job uid ranges start here (machine/UidRange.java). */
    private static final long FIRST_SHIFT = 0x70000000L;
    private static final long PROJECT = 4242;

    private final Host host;

    UserNamespaceIT(Host host) {
        this.host = host;
    }

    private SimulatedJob newJob(long project) {
        return new SimulatedJob(host, ExecutorIT.JOB_IDS.incrementAndGet(), project)
                .runnerSetting("NSPAWN_RUNNER_NO_SERVICE", "1");
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        ExecutorIT.assertHostClean(host);
        Path claims = host.stateDirOutside().resolve("uid-ranges");
        if (Files.isDirectory(claims)) {
            try (Stream<Path> links = Files.list(claims)) {
                assertEquals(List.of(), links.toList(), "uid ranges still claimed");
            }
        }
    }

    private static Map<String, String> stages(String... nameAndBody) {
        Map<String, String> stages = new LinkedHashMap<>();
        for (int i = 0; i < nameAndBody.length; i += 2) {
            stages.put(nameAndBody[i], nameAndBody[i + 1]);
        }
        return stages;
    }

    /** The first line of /proc/self/uid_map as "inside outside count". */
    private static long[] uidMap(String line) {
        String[] fields = line.trim().split("\\s+");
        assertEquals(3, fields.length, line);
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])};
    }

    @Test
    void rootInAJobIsAnUnprivilegedRangeOfHostUidsYetTheChrootLooksRootOwned() throws IOException {
        SimulatedJob job = newJob(7);
        assertEquals(0, job.prepare().exitCode());
        try {
            ExecResult probe = job.runStage("build_script", String.join("\n",
                    "head -1 /proc/self/uid_map; wc -l < /proc/self/uid_map",
                    "id -u",
                    "stat -c '%U:%G %n' / /etc /etc/passwd /usr/bin/passwd /etc/systemd/system",
                    "echo 'ci:x:4000:4000::/home/ci:/bin/bash' >> /etc/passwd && echo etc-is-writable",
                    "useradd -m builder && su builder -c 'id -un; touch ~/mine' && stat -c '%U %n' /home/builder/mine",
                    "echo built > built.txt"));
            assertEquals(0, probe.exitCode(), probe.toString());
            List<String> lines = probe.stdout().lines().toList();
            long[] map = uidMap(lines.get(0));
            assertEquals(0, map[0], probe.stdout());
            assertTrue(map[1] >= FIRST_SHIFT, "root inside must not be root outside: " + probe.stdout());
            assertEquals(65536, map[2], probe.stdout());
            assertEquals(List.of("1", "0", "root:root /", "root:root /etc", "root:root /etc/passwd",
                    "root:root /usr/bin/passwd", "root:root /etc/systemd/system", "etc-is-writable",
                    "builder", "builder /home/builder/mine"), lines.subList(1, lines.size()), probe.stdout());

            // what the job's root wrote belongs, on the host, to the job's range, not to root
            Path written = host.stateDirOutside().resolve("jobs").resolve(job.machine())
                    .resolve("upper" + SimulatedJob.PROJECT_DIR + "/built.txt");
            assertEquals(map[1], ((Number) Files.getAttribute(written, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
            // and the chroot under it is untouched: still root's on disk
            ExecResult chroot = host.shell("stat -c %u /var/lib/nspawn-runner/chroots/bookworm/etc/passwd");
            assertEquals("0", chroot.stdout().trim(), chroot.toString());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void theNextJobOfAProjectReadsAndOverwritesTheCacheThoughItsUidsDiffer() {
        SimulatedJob first = newJob(PROJECT);
        JobRun writes = first.run(stages("archive_cache", String.join("\n",
                "head -1 /proc/self/uid_map",
                "mkdir -p /cache/deps && echo one > /cache/deps/lib && chmod 600 /cache/deps/lib",
                "chmod 755 /cache && useradd -M builder && install -d -o builder /cache/builder && su builder -s /bin/sh -c 'echo mine > /cache/builder/f'")));
        assertFalse(writes.failed(), writes.toString());

        // another job holds the first one's range meanwhile, so the next job of the project gets another
        SimulatedJob other = newJob(PROJECT + 1);
        assertEquals(0, other.prepare().exitCode());
        try {
            SimulatedJob next = newJob(PROJECT);
            JobRun reads = next.run(stages("restore_cache", String.join("\n",
                    "head -1 /proc/self/uid_map",
                    "stat -c '%U %a %n' /cache/deps/lib",
                    "cat /cache/deps/lib && echo two > /cache/deps/lib && cat /cache/deps/lib",
                    "rm -r /cache/deps && mkdir /cache/deps2 && echo created",
                    "useradd -M builder && su builder -s /bin/sh -c 'cat /cache/builder/f; echo again >> /cache/builder/f'")));
            assertFalse(reads.failed(), reads.toString());
            String firstMap = writes.stage("archive_cache").stdout().lines().findFirst().orElseThrow();
            List<String> lines = reads.stage("restore_cache").stdout().lines().toList();
            assertNotEquals(uidMap(firstMap)[1], uidMap(lines.get(0))[1], "both jobs had the same uid range");
            assertEquals(List.of("root 600 /cache/deps/lib", "one", "two", "created", "mine"), lines.subList(1, lines.size()),
                    reads.toString());
        } finally {
            assertEquals(0, other.cleanup().exitCode());
        }
    }

    @Test
    void getSourcesWithGitAndTheBindMountedGitlabRunnerAndLavaClientWork() {
        SimulatedJob job = newJob(8).runnerSetting("NSPAWN_RUNNER_GITLAB_RUNNER_BINARY", "/usr/bin/env");
        JobRun run = job.run(stages(
                "get_sources", String.join("\n",
                        "git init -q --bare /srv/origin.git",
                        "git clone -q /srv/origin.git /tmp/seed && cd /tmp/seed && echo 'int main(){}' > main.c",
                        "git add main.c && git -c user.email=ci@x -c user.name=ci commit -qm init && git push -q origin HEAD",
                        "rm -rf " + SimulatedJob.PROJECT_DIR + " && git clone -q /srv/origin.git " + SimulatedJob.PROJECT_DIR,
                        "echo fetched"),
                "build_script", String.join("\n",
                        "git log --oneline | wc -l; cat main.c",
                        "gitlab-runner echo gitlab-runner-runs",
                        "submit --help > /dev/null 2>&1; echo lava-client-exit-$?")));
        assertFalse(run.failed(), run.toString());
        assertEquals("fetched", run.stage("get_sources").stdout());
        assertEquals(List.of("1", "int main(){}", "gitlab-runner-runs", "lava-client-exit-0"),
                run.stage("build_script").stdout().lines().toList(), run.toString());
    }

    @Test
    void aPrepareKilledWhileTheChrootIsMountedForTheBootLeavesNothingAfterCleanup() {
        SimulatedJob job = newJob(11);
        String lower = TestHost.STATE_DIR + "/jobs/" + job.machine() + "/lower";
        RunnerProcess watch = host.start(List.of("/bin/bash", "-c", "until grep -q ' " + lower
                + " ' /proc/self/mountinfo; do sleep 0.002; done; echo mounted"), Map.of("PATH", "/usr/bin:/bin"), "/");
        RunnerProcess prepare = job.startPrepare();
        watch.awaitOutput("mounted", java.time.Duration.ofSeconds(30));
        prepare.signalGroup(9);
        prepare.await(java.time.Duration.ofSeconds(30));
        ExecResult mounted = host.shell("grep -c ' " + lower + " ' /proc/self/mountinfo");
        assertEquals("1", mounted.stdout().trim(), "prepare was killed after it detached the chroot: " + mounted);
        // the chroot stays mounted at most until cleanup, which detaches it and frees the uid range
        ExecResult cleanup = job.cleanup();
        assertEquals(0, cleanup.exitCode(), cleanup.toString());
    }

    /**
     * /sys and /proc/sys are read-only mounts, and the job's root cannot write through them to the
     * host. nspawn makes the job's network namespace and /proc inside its user namespace, so its root
     * can bind-remount /sys, mount a sysfs or remount /proc/sys read-write; what it can then change is
     * only what its own namespaces own (its hostname, its network's settings), never a host setting.
     */
    @Test
    void sysAndProcSysStayReadOnlyEvenForTheJobsRoot() {
        String swappiness = host.shell("cat /proc/sys/vm/swappiness").stdout().trim();
        String hostname = host.shell("cat /proc/sys/kernel/hostname").stdout().trim();
        SimulatedJob job = newJob(9);
        // every write puts back the value that is there: should one pass, nothing on this machine changes
        JobRun run = job.run(stages("build_script", String.join("\n",
                "set +e",
                "try() { if \"$@\" 2>/dev/null; then echo \"ALLOWED: $*\"; else echo \"refused: $*\"; fi; }",
                "put() { local v; v=$(cat \"$1\") && [ -n \"$v\" ] && sh -c 'echo \"$2\" > \"$1\"' sh \"$1\" \"${2:-$v}\"; }",
                "try mount -o remount,rw /sys",
                "try mount -o remount,bind,rw /sys",
                "try mount -t sysfs sysfs /mnt",
                "try put /mnt/module/printk/parameters/time",
                "try put /sys/class/net/lo/mtu",
                "try put /sys/module/printk/parameters/time",
                "try put /proc/sys/kernel/hostname",
                "try put /proc/sys/vm/swappiness",
                "echo ---",
                "try mount -o remount,rw /proc/sys",
                "try put /proc/sys/vm/swappiness",
                "try put /proc/sys/net/ipv4/ip_forward",
                "try put /proc/sys/kernel/hostname renamed-by-job",
                "hostname")));
        assertFalse(run.failed(), run.toString());
        List<String> lines = run.stage("build_script").stdout().lines().toList();
        assertEquals("refused: mount -o remount,rw /sys", lines.get(0), run.toString());
        // the job's network namespace is its user namespace's (nspawn makes it there), so a bind remount
        // and a sysfs of its own may pass: whatever they did, no host setting can be written through them
        assertEquals(List.of("refused: put /mnt/module/printk/parameters/time", "refused: put /sys/class/net/lo/mtu",
                "refused: put /sys/module/printk/parameters/time", "refused: put /proc/sys/kernel/hostname",
                "refused: put /proc/sys/vm/swappiness", "---"), lines.subList(3, 9), run.toString());
        // whether or not /proc/sys could be remounted (it can, today), the host's settings are refused;
        // the job's own network namespace's (ip_forward) are its own
        assertEquals("refused: put /proc/sys/vm/swappiness", lines.get(10), run.toString());
        assertEquals(swappiness, host.shell("cat /proc/sys/vm/swappiness").stdout().trim());
        assertEquals(hostname, host.shell("cat /proc/sys/kernel/hostname").stdout().trim());
    }

    @Test
    void withoutTheSwitchRootInAJobIsRootOfTheHostAsBefore() {
        SimulatedJob job = newJob(10).runnerSetting("NSPAWN_RUNNER_USER_NAMESPACE", "false");
        JobRun run = job.run(stages("build_script", "head -1 /proc/self/uid_map; stat -c %U /etc/passwd"));
        assertFalse(run.failed(), run.toString());
        List<String> lines = run.stage("build_script").stdout().lines().toList();
        assertEquals(List.of(0L, 0L, 4294967295L), List.of(uidMap(lines.get(0))[0], uidMap(lines.get(0))[1], uidMap(lines.get(0))[2]));
        assertEquals("root", lines.get(1));
    }
}
