package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.systemd.ResourceControl;
import io.github.nspawnrunner.systemd.ResourceControl.DeviceAccess;
import java.util.List;

/**
 * What a job's container may use. systemd-nspawn sets a closed device policy only on the units it
 * creates itself, not on one it keeps (--keep-unit), so the job's unit carries the same policy:
 * systemd's standard pseudo devices (null, zero, full, random, urandom, tty, ptmx), the tun device
 * and ptys (opened, never created). No block device: a job can neither make nor open one.
 */
public final class ContainerResources {
    /** nspawn's own list (nspawn-register.c, systemd-nspawn@.service), written out in full for the reader. */
    static final List<DeviceAccess> DEVICES = List.of(
            new DeviceAccess("/dev/null", "rwm"),
            new DeviceAccess("/dev/zero", "rwm"),
            new DeviceAccess("/dev/full", "rwm"),
            new DeviceAccess("/dev/random", "rwm"),
            new DeviceAccess("/dev/urandom", "rwm"),
            new DeviceAccess("/dev/tty", "rwm"),
            new DeviceAccess("/dev/net/tun", "rwm"),
            new DeviceAccess("/dev/pts/ptmx", "rw"),
            new DeviceAccess("char-pts", "rw"));

    private ContainerResources() {
    }

    public static ResourceControl of(ResourceLimits limits) {
        return of(limits, List.of());
    }

    /** With the devices a job's profile grants beyond nspawn's list. */
    static ResourceControl of(ResourceLimits limits, List<DeviceAccess> granted) {
        List<DeviceAccess> devices = new java.util.ArrayList<>(DEVICES);
        devices.addAll(granted);
        return new ResourceControl(devices, value(limits, ResourceLimit.MEMORY_MAX), value(limits, ResourceLimit.CPU_QUOTA),
                value(limits, ResourceLimit.TASKS_MAX), value(limits, ResourceLimit.IO_WEIGHT));
    }

    private static long value(ResourceLimits limits, ResourceLimit limit) {
        long value = limits.get(limit);
        return value == ResourceLimit.UNLIMITED ? ResourceControl.UNLIMITED : value;
    }
}
