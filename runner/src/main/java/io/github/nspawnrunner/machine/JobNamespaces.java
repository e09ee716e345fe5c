package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespaces of an image job's container, bound as files in the job's directory (as `ip netns`
 * keeps a network namespace): the stages of a job without systemd inside enter them with nsenter.
 * Bound files, not the leader's pid: a pid can be reused by a host process once the container is
 * gone, a bound namespace cannot, and a dead container's pid namespace takes no new process (the
 * stage then fails, never runs on the host). Each file is named after nsenter's option for it.
 * The mount namespace alone is entered through the leader's pid, checked a systemd-run round trip
 * earlier (tens of ms; nsenter enters the user namespace last, so that does not help): it is the
 * fork into the bound pid namespace that makes it safe, since it fails once the init is dead and,
 * when it succeeds, proves the init (so its pid) was alive when nsenter opened its mount namespace.
 */
final class JobNamespaces {
    /** nsenter option -> the file under /proc/PID/ns; the user namespace only when the job has one. */
    private static final Map<String, String> KINDS = kinds();
    private static final int BIND_ATTEMPTS = 20;
    private static final long BIND_RETRY_MILLIS = 25;

    private JobNamespaces() {
    }

    private static Map<String, String> kinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("user", "user");
        kinds.put("mount", "mnt");
        kinds.put("pid", "pid");
        kinds.put("net", "net");
        kinds.put("ipc", "ipc");
        kinds.put("uts", "uts");
        kinds.put("cgroup", "cgroup");
        return kinds;
    }

    /**
     * The namespaces bound as files: every one but the user one unless the job has its own, and but
     * the mount namespace, which the kernel refused to bind in the test host now and then (EINVAL:
     * "could cause a mount namespace loop", though the container's is newer than ours). A stage
     * enters that one through /proc/LEADER/ns/mnt after checking (bash's -ef, no fork) that
     * LEADER is still in the bound pid namespace, i.e. is still the container's init.
     */
    static List<String> options(boolean userNamespace) {
        return KINDS.keySet().stream().filter(option -> (userNamespace || !option.equals("user")) && !option.equals("mount")).toList();
    }

    /**
     * What a helper stage enters of the helper container's own (see {@link EnteredStages.Helper}):
     * its user namespace (with one), pid and cgroup namespaces, and its mount namespace through its
     * leader as above. The job's network, ipc and uts namespaces stay the image container's
     * ({@link #SHARED_WITH_HELPER}): get_sources fetches over the job's own network.
     */
    static List<String> helperOptions(boolean userNamespace) {
        return options(userNamespace).stream().filter(option -> !SHARED_WITH_HELPER.contains(option)).toList();
    }

    static final List<String> SHARED_WITH_HELPER = List.of("net", "ipc", "uts");

    /** Binds the namespaces of process LEADER under DIR. */
    static void bind(long leader, Path dir, boolean userNamespace) {
        bind(leader, dir, options(userNamespace));
    }

    /** Binds the namespaces OPTIONS (nsenter's names) of process LEADER under DIR. */
    static void bind(long leader, Path dir, List<String> options) {
        try {
            Files.createDirectory(dir);
            IdmappedLower.Mounts.INSTANCE.bindPrivate(dir);
            for (String option : options) {
                Path file = Files.createFile(dir.resolve(option));
                Path namespace = Path.of("/proc", Long.toString(leader), "ns", KINDS.get(option));
                bindRetrying(namespace, file);
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot keep the namespaces of process " + leader + " at " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Seen in the test host now and then: the mount namespace's bind fails with EINVAL right after
     * nspawn's READY, and works a moment later; so it is tried a few times, and the last failure
     * names both namespaces (the kernel refuses a mount namespace no newer than the caller's).
     */
    private static void bindRetrying(Path namespace, Path file) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                IdmappedLower.Mounts.INSTANCE.bind(namespace, file);
                return;
            } catch (IOException e) {
                if (attempt == BIND_ATTEMPTS) {
                    Path process = namespace.getParent().getParent();
                    throw new IOException(e.getMessage() + " (" + namespace + " is " + Files.readSymbolicLink(namespace)
                            + ", ours " + Files.readSymbolicLink(Path.of("/proc/self/ns", namespace.getFileName().toString()))
                            + "; process " + Files.readString(process.resolve("comm")).strip() + ", cgroup "
                            + Files.readAllLines(process.resolve("cgroup")).stream().filter(l -> l.contains("name=systemd")
                                    || l.startsWith("0::")).findFirst().orElse("?") + ")", e);
                }
                try {
                    Thread.sleep(BIND_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Detaches every namespace bound under DIR; nothing when there is none. */
    static void detach(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            // the files first, then the private mount of the directory itself (mountinfo lists parents first)
            List<String> mounts = new java.util.ArrayList<>(FileTrees.mountPointsBelow(dir));
            java.util.Collections.reverse(mounts);
            for (String mount : mounts) {
                IdmappedLower.Mounts.INSTANCE.detach(Path.of(mount));
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot detach the namespaces bound under " + dir + ": " + e.getMessage(), e);
        }
    }
}
