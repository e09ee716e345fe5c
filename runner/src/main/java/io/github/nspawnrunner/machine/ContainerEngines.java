package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What a profile's container_engines = true does, so that a plain `podman run` works in the job
 * (found and proved in the test host; README "Podman inside a job"):
 * <ul>
 * <li>image and container storage on the host's disk, bound at /var/lib/containers (idmapped with
 * a user namespace): the job's root is overlayfs, which cannot be an overlay upper, and podman
 * would fall back to fuse-overlayfs, which has no /dev/fuse;</li>
 * <li>a containers.conf: no session keyring (nspawn's syscall filter refuses keyctl), no cgroups
 * of the inner containers' own (they run inside the job's cgroup and its limits; the job cannot
 * divide it on a cgroup v1 host), the job's own network namespace for them (no bridge: that needs
 * iptables in the job), cgroupfs as manager and events in a file;</li>
 * <li>podman's boot units masked: they run podman at every boot, before the storage is in use,
 * and podman would cache "overlay not supported" for the whole job;</li>
 * <li>keyctl allowed (nspawn's @keyring), which docker's runc needs: it has no keyring switch.</li>
 * </ul>
 * The inner containers get a subset of the job's namespaces, capabilities, devices and limits.
 */
final class ContainerEngines {
    static final String CONTAINER_STORAGE = "/var/lib/containers";
    static final List<String> MASKED_UNITS = List.of("podman.service", "podman-restart.service", "podman-auto-update.service");
    static final String CONTAINERS_CONF = """
            # written by nspawn-runner for a profile with container_engines = true
            [containers]
            keyring = false
            cgroups = "disabled"
            netns = "host"

            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """;
    static final String STORAGE_CONF = """
            # written by nspawn-runner for a profile with container_engines = true
            [storage]
            driver = "overlay"
            graphroot = "/var/lib/containers/storage"
            runroot = "/run/containers/storage"
            """;

    private ContainerEngines() {
    }

    /** Writes the configuration into UPPERDIR and makes the storage dir; before the upper dir is handed to the job's uids. */
    static void prepare(JobPaths paths, Path chrootRoot) {
        Path etc = JobBootProfile.createLikeChroot(paths.upperDir(), chrootRoot, "etc/containers");
        JobBootProfile.maskUnits(paths.upperDir(), chrootRoot, MASKED_UNITS);
        try {
            Files.writeString(etc.resolve("containers.conf"), CONTAINERS_CONF, StandardOpenOption.CREATE_NEW);
            Files.writeString(etc.resolve("storage.conf"), STORAGE_CONF, StandardOpenOption.CREATE_NEW);
            Files.createDirectory(paths.containerStorage());
        } catch (IOException e) {
            throw ExecutorException.system("cannot set up container engines in " + paths.jobDir() + ": " + e.getMessage(), e);
        }
    }

    static List<String> nspawnOptions(JobPaths paths, boolean userNamespace) {
        return List.of("--bind=" + paths.containerStorage() + ":" + CONTAINER_STORAGE + (userNamespace ? ":idmap" : ""),
                "--system-call-filter=@keyring");
    }
}
