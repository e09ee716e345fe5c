package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.HostDir;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.systemd.ResourceControl.DeviceAccess;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's profile adds to its container, as prepare resolved it: devices (bound in and
 * allowed in the device cgroup: read and write, never mknod), host directories and container
 * engines' storage.
 */
record ProfileGrants(Profile profile, List<JobDevice> devices, JobPaths paths) {
    ProfileGrants {
        devices = List.copyOf(devices);
    }

    List<String> nspawnOptions(boolean userNamespace) {
        List<String> options = new ArrayList<>();
        for (JobDevice device : devices) {
            options.add(device.nspawnOption());
        }
        // idmapped like the project cache: files keep on disk the owners they have inside
        String idmap = userNamespace ? ":idmap" : "";
        for (HostDir dir : profile.hostDirs()) {
            if (!Files.isDirectory(dir.source())) {
                throw ExecutorException.system("host directory " + dir.source() + " of profile " + profile.name()
                        + " does not exist: create it, or fix host_dirs in [profiles." + profile.name() + "]");
            }
            options.add((dir.readOnly() ? "--bind-ro=" : "--bind=") + dir.source() + ":" + dir.target() + idmap);
        }
        if (profile.containerEngines()) {
            options.addAll(ContainerEngines.nspawnOptions(paths, userNamespace));
        }
        return options;
    }

    List<DeviceAccess> deviceAllow() {
        List<DeviceAccess> allow = new ArrayList<>();
        for (JobDevice device : devices) {
            allow.add(new DeviceAccess(device.node().toString(), "rw"));
        }
        return allow;
    }
}
