package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.ExecutorException;
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
 */
final class JobNamespaces {
    /** nsenter option -> the file under /proc/PID/ns; the user namespace only when the job has one. */
    private static final Map<String, String> KINDS = kinds();

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

    /** The nsenter options a stage uses: every namespace but the user one unless the job has its own. */
    static List<String> options(boolean userNamespace) {
        return KINDS.keySet().stream().filter(option -> userNamespace || !option.equals("user")).toList();
    }

    /** Binds the namespaces of process LEADER under DIR. */
    static void bind(long leader, Path dir, boolean userNamespace) {
        try {
            Files.createDirectory(dir);
            IdmappedLower.Mounts.INSTANCE.bindPrivate(dir);
            for (String option : options(userNamespace)) {
                Path file = Files.createFile(dir.resolve(option));
                IdmappedLower.Mounts.INSTANCE.bind(Path.of("/proc", Long.toString(leader), "ns", KINDS.get(option)), file);
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot keep the namespaces of process " + leader + " at " + dir + ": "
                    + e.getMessage(), e);
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
