package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import io.github.nspawnrunner.systemd.ResourceControl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnteredStagesTest {
    private static final JobPaths PATHS = new JobPaths(Path.of("/var/lib/nspawn-runner/state/jobs/nsr-42"));
    private static final ResourceControl LIMITS = new ResourceControl(ContainerResources.DEVICES, 64L << 20, 50, 100, 100);

    @Test
    void stagesGetTheJobsLimitsDevicePolicyNspawnsCapabilitiesAndTheImagesEnv() {
        EnteredStages stages = EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "", List.of("PATH=/opt/bin:/bin", "A=b c"), LIMITS);
        assertEquals(List.of("user", "pid", "net", "ipc", "uts", "cgroup"), stages.namespaces());
        assertEquals("/", stages.workingDir());
        assertTrue(stages.properties().containsAll(List.of("DevicePolicy=closed", "DeviceAllow=/dev/null rwm", "MemoryMax=67108864",
                "MemorySwapMax=0", "CPUQuota=50%", "TasksMax=100", "IOWeight=100")), stages.properties().toString());
        assertTrue(stages.properties().stream().anyMatch(p -> p.startsWith("CapabilityBoundingSet=") && p.contains("CAP_NET_ADMIN")
                && !p.contains("CAP_SYS_MODULE")));
        String text = stages.text();
        assertTrue(text.contains("\nns=user\n") && text.contains("\nenv=A=b c\n") && text.startsWith("mode=enter\n"), text);
    }

    @Test
    void withoutAUserNamespaceStagesStayInTheHostsUserNamespace() {
        EnteredStages stages = EnteredStages.of("img", PATHS, 7, false, false, "/bin/bash", "/work", List.of(), LIMITS);
        assertEquals(List.of("pid", "net", "ipc", "uts", "cgroup"), stages.namespaces());
        assertTrue(stages.properties().stream().noneMatch(p -> p.contains("CAP_NET_ADMIN")));
    }

    @Test
    void helperStagesEnterTheHelpersOwnNamespacesAndTheImageContainersNetwork() {
        EnteredStages stages = EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/work", List.of("A=b"), LIMITS)
                .withHelper(EnteredStages.Helper.of(PATHS, 9, true, "/usr/bin/bash"));
        String jobDir = PATHS.jobDir().toString();
        assertEquals(List.of("user=" + jobDir + "/helper-ns/user", "pid=" + jobDir + "/helper-ns/pid",
                "cgroup=" + jobDir + "/helper-ns/cgroup", "net=" + jobDir + "/ns/net", "ipc=" + jobDir + "/ns/ipc",
                "uts=" + jobDir + "/ns/uts"), stages.helper().orElseThrow().namespaces());
        String text = stages.text();
        assertTrue(text.contains("\nhelper_leader=9\nhelper_bash=/usr/bin/bash\n") && text.contains("\nhelper_namespaces=" + jobDir
                + "/helper-ns\n") && text.contains("\nhelper_ns=pid=" + jobDir + "/helper-ns/pid\n"), text);
        List<String> helped = List.of(text.lines().filter(line -> line.startsWith("helper_stages=")).findFirst().orElseThrow()
                .substring("helper_stages=".length()).split(" "));
        assertTrue(helped.containsAll(List.of("get_sources", "restore_cache", "download_artifacts", "archive_cache",
                "archive_cache_on_failure", "upload_artifacts_on_success", "upload_artifacts_on_failure")), helped.toString());
        assertTrue(helped.stream().noneMatch(stage -> stage.contains("script")), helped.toString());
        assertEquals(List.of("pid", "cgroup"), JobNamespaces.helperOptions(false));
    }

    @Test
    void jobsShellReadsBackTheImageContainersSetAndEntersItAsAStageDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        EnteredStages written = EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/work", List.of("PATH=/opt/bin", "A=b c"),
                LIMITS).withHelper(EnteredStages.Helper.of(PATHS, 9, true, "/usr/bin/bash"));
        Path file = dir.resolve("target");
        java.nio.file.Files.writeString(file, "machine=nsr-42\njob=42\n" + written.text());
        EnteredStages read = EnteredStages.read(file).orElseThrow();
        assertEquals(written.namespaces(), read.namespaces());
        assertEquals(written.env(), read.env());
        assertEquals(written.properties(), read.properties());
        assertEquals("/work", read.workingDir());
        List<String> argv = read.enterCommand(11, List.of());
        assertEquals(List.of("nsenter", "--user=" + PATHS.jobDir() + "/ns/user", "--pid=" + PATHS.jobDir() + "/ns/pid"), argv.subList(0, 3));
        assertTrue(argv.containsAll(List.of("--mount=/proc/11/ns/mnt", "--setuid=0", "/work", "2", "PATH=/opt/bin", "A=b c")), argv.toString());
        assertEquals(List.of("/bin/bash", "-l"), argv.subList(argv.size() - 2, argv.size()));
        java.nio.file.Files.writeString(file, "machine=nsr-42\njob=42\nexchange=/x\n");
        assertTrue(EnteredStages.read(file).isEmpty());
    }

    @Test
    void stagesGetNspawn252sSeccompAllowlistAndRefuseTheRestWithEperm() {
        List<String> filter = EnteredStages.of("img", PATHS, 7, false, false, "/bin/bash", "/", List.of(), LIMITS).properties().stream()
                .filter(p -> p.startsWith("SystemCallFilter=") || p.startsWith("SystemCallErrorNumber=")).toList();
        // nspawn-seccomp.c of systemd v252, with the calls of the capabilities nspawn keeps (ptrace, boot, tty config)
        assertEquals(List.of(
                "SystemCallFilter=@aio @basic-io @chown @default @file-system @io-event @ipc @mount @network-io @process @resources"
                        + " @setuid @signal @sync @timer",
                "SystemCallFilter=arm_fadvise64_64 brk capget capset copy_file_range fadvise64 fadvise64_64 flock get_mempolicy getcpu"
                        + " getpriority getrandom ioctl ioprio_get kcmp madvise mincore mprotect mremap name_to_handle_at oldolduname"
                        + " olduname personality readahead readdir remap_file_pages sched_get_priority_max sched_get_priority_min"
                        + " sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_rr_get_interval"
                        + " sched_rr_get_interval_time64 sched_yield seccomp sendfile sendfile64 setdomainname setfsgid setfsgid32"
                        + " setfsuid setfsuid32 sethostname setpgid setsid splice sysinfo tee umask uname userfaultfd vmsplice",
                "SystemCallFilter=process_vm_readv process_vm_writev ptrace reboot vhangup",
                "SystemCallErrorNumber=EPERM"), filter);
        String all = String.join(" ", filter);
        for (String refused : List.of("~", "bpf", "open_by_handle_at", "perf_event_open", "fanotify", "quotactl", "lookup_dcookie",
                "nfsservctl", "syslog", "kexec", "@keyring", "@swap", "@obsolete", "@clock", "@module", "@raw-io", "acct")) {
            assertTrue(!all.contains(refused), refused + " in " + all);
        }
        // nspawn refuses audit sockets (an argument filter SystemCallFilter= cannot say): the stages lack the capabilities instead
        assertTrue(EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/", List.of(), LIMITS).properties().stream()
                .filter(p -> p.startsWith("CapabilityBoundingSet=")).allMatch(p -> !p.contains("CAP_AUDIT") && p.contains("CAP_SYS_ADMIN")));
    }

    @Test
    void theJobsShellAlwaysForksIntoTheBoundPidNamespaceAndItsDollarsReachTheImageAsTheyAre() {
        EnteredStages stages = EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/w$x", List.of("LEAK=${HOME}:$$x", "EMPTY="),
                LIMITS);
        List<String> argv = stages.enterCommand(11, List.of("echo", "$y"));
        // a dead container's bound pid namespace takes no process: nsenter must fork into it, never --no-fork
        assertTrue(argv.contains("--pid=" + PATHS.jobDir() + "/ns/pid"), argv.toString());
        assertTrue(argv.stream().noneMatch(a -> a.equals("--no-fork") || a.equals("-F")), argv.toString());
        List<String> handed = EnteredShell.systemdCommand(argv);
        assertTrue(handed.containsAll(List.of("/w$$x", "LEAK=$${HOME}:$$$$x", "EMPTY=", "$$y")), handed.toString());
        assertEquals(argv, handed.stream().map(a -> a.replace("$$", "$")).toList());
    }

    @Test
    void anEnvOrWorkingDirThatALineCannotHoldIsTheJobsFault() {
        for (List<String> env : List.of(List.of("A=x\ny"), List.of("=x"), List.of("NOEQUALS"), List.of("A-B=x"))) {
            ExecutorException e = assertThrows(ExecutorException.class,
                    () -> EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/", env, LIMITS));
            assertEquals(FailureKind.BUILD, e.kind());
            assertTrue(e.getMessage().startsWith("image img has an Env entry"), e.getMessage());
        }
        assertThrows(ExecutorException.class, () -> EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "work", List.of(), LIMITS));
    }
}
