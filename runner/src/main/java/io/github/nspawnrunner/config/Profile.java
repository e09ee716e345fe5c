package io.github.nspawnrunner.config;

import java.util.List;

/**
 * What the jobs on one profile get beyond a plain job: devices, host directories, container
 * engines, and their own network, user namespace and limits (the runner's where the profile sets
 * none). The admin defines profiles as [profiles.NAME] tables; a job selects one with the job
 * variable NSPAWN_RUNNER_PROFILE, among those the admin allows.
 *
 * @param devices            device paths or globs, resolved at prepare, bound in and allowed in the device cgroup
 * @param skipMissingDevices a device that matches nothing is skipped with a warning instead of failing prepare
 * @param hostDirs           host directories bound into the container
 * @param containerEngines   what podman needs to run containers inside the job
 * @param chroots            the chroots a job on this profile may use; empty for any
 */
public record Profile(
        String name,
        String description,
        List<DeviceGrant> devices,
        boolean skipMissingDevices,
        List<HostDir> hostDirs,
        NetworkMode network,
        boolean userNamespace,
        ResourceLimits limits,
        ResourceLimits limitsAllowed,
        boolean containerEngines,
        List<String> chroots) {

    /** The profile of a job that selects none, unless the admin names another default_profile. */
    public static final String DEFAULT_NAME = "default";

    public Profile {
        devices = List.copyOf(devices);
        hostDirs = List.copyOf(hostDirs);
        chroots = List.copyOf(chroots);
    }

    public boolean allowsChroot(String chroot) {
        return chroots.isEmpty() || chroots.contains(chroot);
    }
}
