package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.systemd.ResourceControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the stages of a job on an image without systemd run. Such an image cannot be booted, so its
 * container runs an idle bash (NspawnCommand's holder) and each stage is a transient service of
 * the host's systemd that enters the container's namespaces with nsenter: the same mounts
 * (read-only /sys, the overlay, the exchange dir and cache), pid namespace, network and user
 * namespace as the container itself. The stage's unit carries what nspawn and the container's unit
 * would otherwise give it: the job's limits and device policy (the container's own unit holds only
 * the idle bash), nspawn's capability bounding set and its seccomp allowlist.
 *
 * @param namespacesDir the container's namespaces bound as files (see {@link JobNamespaces})
 * @param leader        the container's init, whose mount namespace a stage enters (see {@link JobNamespaces})
 * @param namespaces    nsenter's options for the bound ones, e.g. pid, net
 * @param bash          the image's bash, as a path inside it
 * @param workingDir    the image's WorkingDir, "/" when it has none
 * @param env           the image's Env, NAME=value each
 * @param properties    the stage unit's properties, as systemd-run's --property takes them
 * @param helper        where the stages that fetch and store run (get_sources, the cache and artifact stages)
 */
public record EnteredStages(Path namespacesDir, long leader, List<String> namespaces, String bash, String workingDir, List<String> env,
        List<String> properties, Optional<Helper> helper) {
    /**
     * The job's helper container, as gitlab-runner's docker executor has its helper image: a
     * non-booted container of the runner's default chroot (git, gitlab-runner's binary bound in),
     * in the job's user namespace range, with the job's builds dir, cache and exchange dir bound
     * where the image's container has them. An image needs neither git nor gitlab-runner: the
     * stages that fetch and store enter the helper's mount, pid, cgroup (and user) namespaces and
     * the image container's network, ipc and uts ones, under the same unit properties.
     *
     * @param namespacesDir the helper's own namespaces bound as files
     * @param leader        the helper's init, whose mount namespace a helper stage enters
     * @param namespaces    nsenter's option=file for each namespace a helper stage enters but the mount one
     * @param bash          the default chroot's bash, as a path inside it
     */
    public record Helper(Path namespacesDir, long leader, List<String> namespaces, String bash) {
        public Helper {
            namespaces = List.copyOf(namespaces);
        }

        static Helper of(JobPaths paths, long leader, boolean userNamespace, String bash) {
            List<String> namespaces = new ArrayList<>();
            JobNamespaces.helperOptions(userNamespace).forEach(option -> namespaces.add(
                    option + "=" + paths.helperNamespacesDir().toAbsolutePath().resolve(option)));
            JobNamespaces.SHARED_WITH_HELPER.forEach(option -> namespaces.add(
                    option + "=" + paths.namespacesDir().toAbsolutePath().resolve(option)));
            return new Helper(paths.helperNamespacesDir(), leader, namespaces, bash);
        }
    }

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * nspawn 252's default capabilities (nspawn.c), with CAP_NET_ADMIN when it makes the job's
     * network; without CAP_AUDIT_CONTROL and CAP_AUDIT_WRITE, which nspawn keeps but makes moot by
     * refusing audit netlink sockets (nspawn-seccomp.c), an argument filter systemd's
     * SystemCallFilter= cannot express: without the capabilities the kernel refuses audit messages.
     */
    private static final List<String> NSPAWN_CAPABILITIES = List.of("CAP_CHOWN",
            "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_OWNER", "CAP_KILL", "CAP_LEASE",
            "CAP_LINUX_IMMUTABLE", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_SETFCAP",
            "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_NICE",
            "CAP_SYS_PTRACE", "CAP_SYS_RESOURCE", "CAP_SYS_TTY_CONFIG");

    /**
     * nspawn 252's seccomp filter (src/nspawn/nspawn-seccomp.c of systemd v252, the strings of
     * Debian's 252 systemd-nspawn agree): an ALLOWLIST, everything else fails with EPERM, as
     * systemd's SystemCallFilter= lines. So a stage gets no bpf, open_by_handle_at (with
     * CAP_DAC_READ_SEARCH and no user namespace: reading any host file by handle), perf_event_open,
     * fanotify, quotactl, keyring, kexec, swap, clock, module, raw I/O or obsolete call, as a
     * booted chroot job does not. nsenter itself needs setns and fork, both in @process. The
     * calls nspawn allows only with a capability it keeps follow in {@link #syscallFilter}.
     */
    static final List<String> SYSCALLS_ALLOWED = List.of(
            "SystemCallFilter=@aio @basic-io @chown @default @file-system @io-event @ipc @mount @network-io @process @resources"
                    + " @setuid @signal @sync @timer",
            "SystemCallFilter=arm_fadvise64_64 brk capget capset copy_file_range fadvise64 fadvise64_64 flock get_mempolicy getcpu"
                    + " getpriority getrandom ioctl ioprio_get kcmp madvise mincore mprotect mremap name_to_handle_at oldolduname"
                    + " olduname personality readahead readdir remap_file_pages sched_get_priority_max sched_get_priority_min"
                    + " sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_rr_get_interval"
                    + " sched_rr_get_interval_time64 sched_yield seccomp sendfile sendfile64 setdomainname setfsgid setfsgid32"
                    + " setfsuid setfsuid32 sethostname setpgid setsid splice sysinfo tee umask uname userfaultfd vmsplice");

    /** nspawn's calls allowed only with a capability (its group or call), for those the stages keep. */
    private static final List<Map.Entry<String, String>> SYSCALLS_BY_CAPABILITY = List.of(Map.entry("CAP_SYS_TIME", "@clock"),
            Map.entry("CAP_SYS_MODULE", "@module"), Map.entry("CAP_SYS_RAWIO", "@raw-io"), Map.entry("CAP_IPC_LOCK", "@memlock"),
            Map.entry("CAP_SYS_PACCT", "acct"), Map.entry("CAP_SYS_PTRACE", "process_vm_readv"),
            Map.entry("CAP_SYS_PTRACE", "process_vm_writev"), Map.entry("CAP_SYS_PTRACE", "ptrace"), Map.entry("CAP_SYS_BOOT", "reboot"),
            Map.entry("CAP_SYSLOG", "syslog"), Map.entry("CAP_SYS_TTY_CONFIG", "vhangup"));

    /** The unit properties of nspawn's seccomp filter for a process that keeps CAPABILITIES. */
    static List<String> syscallFilter(List<String> capabilities) {
        List<String> filter = new ArrayList<>(SYSCALLS_ALLOWED);
        filter.add("SystemCallFilter=" + String.join(" ", SYSCALLS_BY_CAPABILITY.stream()
                .filter(entry -> capabilities.contains(entry.getKey())).map(Map.Entry::getValue).toList()));
        filter.add("SystemCallErrorNumber=EPERM");
        return filter;
    }

    public EnteredStages {
        namespaces = List.copyOf(namespaces);
        env = List.copyOf(env);
        properties = List.copyOf(properties);
    }

    /** The stages the helper runs: those that fetch and store, as on gitlab-runner's docker executor. */
    public static final String HELPER_STAGES = "get_sources restore_cache download_artifacts archive_cache archive_cache_on_failure"
            + " upload_artifacts_on_success upload_artifacts_on_failure cleanup_file_variables";

    /** For the image IMAGE (how messages name it), refusing what a stage target file line cannot hold. */
    static EnteredStages of(String image, JobPaths paths, long leader, boolean userNamespace, boolean networkAdmin, String bash,
            String workingDir, List<String> env, ResourceControl resources) {
        for (String entry : env) {
            int equals = entry.indexOf('=');
            if (equals < 1 || !ENV_NAME.matcher(entry.substring(0, equals)).matches() || !printable(entry)) {
                throw ExecutorException.build("image " + image + " has an Env entry nspawn-runner cannot pass on: '"
                        + io.github.nspawnrunner.executor.ExecutorEnvironment.printable(entry)
                        + "' (NAME=value, a name of letters, digits and _, no control characters)");
            }
        }
        String directory = workingDir.isEmpty() ? "/" : workingDir;
        if (!directory.startsWith("/") || !printable(directory)) {
            throw ExecutorException.build("image " + image + " has a WorkingDir nspawn-runner cannot use: '"
                    + io.github.nspawnrunner.executor.ExecutorEnvironment.printable(directory) + "' (an absolute path)");
        }
        List<String> properties = new ArrayList<>(io.github.nspawnrunner.systemd.UnitControl.resourceSettings(resources));
        List<String> capabilities = new ArrayList<>(NSPAWN_CAPABILITIES);
        if (networkAdmin) {
            capabilities.add("CAP_NET_ADMIN");
        }
        properties.add("CapabilityBoundingSet=" + String.join(" ", capabilities));
        properties.addAll(syscallFilter(capabilities));
        return new EnteredStages(paths.namespacesDir(), leader, JobNamespaces.options(userNamespace), bash, directory, env, properties,
                Optional.empty());
    }

    EnteredStages withLeader(long pid) {
        return new EnteredStages(namespacesDir, pid, namespaces, bash, workingDir, env, properties, helper);
    }

    /**
     * The stages' units in the job's slice (see {@link MachineName#slice()}), which holds its
     * containers too: one budget of the job's limits for all of the job's processes.
     */
    EnteredStages inSlice(MachineName machine) {
        List<String> inSlice = new ArrayList<>(properties);
        inSlice.add(SLICE + machine.slice());
        return new EnteredStages(namespacesDir, leader, namespaces, bash, workingDir, env, inSlice, helper);
    }

    private static final String SLICE = "Slice=";

    EnteredStages withHelper(Helper stagesHelper) {
        return new EnteredStages(namespacesDir, leader, namespaces, bash, workingDir, env, properties, Optional.of(stagesHelper));
    }

    private static boolean printable(String text) {
        return text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /**
     * What {@link #text()} wrote into the stage target file FILE (the image container's set; the
     * helper's is for run-stage.bash alone); empty when the job is not on an image.
     */
    static Optional<EnteredStages> read(Path file) throws java.io.IOException {
        Path dir = null;
        long leader = 0;
        String bash = "";
        String workingDir = "/";
        List<String> namespaces = new ArrayList<>();
        List<String> env = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        boolean entered = false;
        for (String line : java.nio.file.Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            String key = equals < 0 ? line : line.substring(0, equals);
            String value = equals < 0 ? "" : line.substring(equals + 1);
            switch (key) {
                case "mode" -> entered = value.equals("enter");
                case "namespaces" -> dir = Path.of(value);
                case "leader" -> leader = Long.parseLong(value);
                case "ns" -> namespaces.add(value);
                case "bash" -> bash = value;
                case "workdir" -> workingDir = value;
                case "env" -> env.add(value);
                case "property" -> properties.add(value);
                default -> {
                    // the job's other lines (machine, exchange, ...) and the helper's
                }
            }
        }
        return entered && dir != null ? Optional.of(new EnteredStages(dir, leader, namespaces, bash, workingDir, env, properties,
                Optional.empty())) : Optional.empty();
    }

    /**
     * The host command that runs COMMAND (the image's bash as a login shell when empty) in the
     * container whose init is LEADER, as a stage runs there: nsenter into its namespaces, then the
     * image's WorkingDir and Env, exported inside only.
     */
    List<String> enterCommand(long leader, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("nsenter"));
        namespaces.forEach(option -> argv.add("--" + option + "=" + namespacesDir.resolve(option)));
        argv.addAll(List.of("--mount=/proc/" + leader + "/ns/mnt", "--setuid=0", "--setgid=0", "--", bash, "-c",
                "cd -- \"$1\" 2> /dev/null || cd /; n=$2; shift 2; while [ \"$n\" -gt 0 ]; do export \"$1\"; shift; n=$((n - 1)); done;"
                        + " exec \"$@\"", "shell", workingDir, Integer.toString(env.size())));
        argv.addAll(env);
        argv.addAll(command.isEmpty() ? List.of(bash, "-l") : command);
        return argv;
    }

    /**
     * The stage target file's lines for this (see libexec/run-stage.bash): the image container's
     * set, then the helper's, the same keys with helper_, and the stages that enter the helper
     * (helper_stages). bash reads both sets whole and picks one, so their order does not matter.
     */
    String text() {
        StringBuilder text = new StringBuilder("mode=enter\n");
        helper.ifPresent(stagesHelper -> text.append("helper_stages=").append(HELPER_STAGES).append('\n'));
        text.append("namespaces=").append(namespacesDir.toAbsolutePath()).append("\nleader=").append(leader).append('\n');
        namespaces.forEach(option -> text.append("ns=").append(option).append('\n'));
        text.append("bash=").append(bash).append("\nworkdir=").append(workingDir).append('\n');
        env.forEach(entry -> text.append("env=").append(entry).append('\n'));
        properties.forEach(property -> text.append("property=").append(property).append('\n'));
        // where a stage's unit's cgroup is, for its OOM count
        properties.stream().filter(property -> property.startsWith(SLICE)).forEach(property -> text.append("slice_cgroup=")
                .append(new MachineName(property.substring(SLICE.length(), property.length() - ".slice".length())).sliceCgroup())
                .append('\n'));
        // git and gitlab-runner start in /, with the chroot's environment and none of the image's Env
        helper.ifPresent(stagesHelper -> {
            text.append("helper_namespaces=").append(stagesHelper.namespacesDir().toAbsolutePath()).append("\nhelper_leader=")
                    .append(stagesHelper.leader()).append("\nhelper_bash=").append(stagesHelper.bash()).append("\nhelper_workdir=/\n");
            stagesHelper.namespaces().forEach(option -> text.append("helper_ns=").append(option).append('\n'));
        });
        return text.toString();
    }
}
