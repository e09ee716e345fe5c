package io.github.nspawnrunner.systemd;

import java.util.List;

/**
 * What systemd enforces on a unit's whole cgroup, delegated subtree included: the devices its
 * processes may open or create, and its limits. {@link #UNLIMITED} stands for systemd's "infinity".
 *
 * @param deviceAllow     with DevicePolicy=closed, the devices beyond systemd's standard pseudo devices
 * @param memoryMax       bytes of memory (swap included: the unit gets no swap beyond it)
 * @param cpuQuotaPercent percent of one CPU per second
 * @param tasksMax        processes and threads
 * @param ioWeight        systemd's IOWeight, 1 to 10000
 */
public record ResourceControl(List<DeviceAccess> deviceAllow, long memoryMax, long cpuQuotaPercent, long tasksMax,
        long ioWeight) {
    public static final long UNLIMITED = Long.MAX_VALUE;

    public ResourceControl {
        deviceAllow = List.copyOf(deviceAllow);
    }

    /** One DeviceAllow= entry: a device node path or a class such as char-pts, and r, w, m access. */
    public record DeviceAccess(String device, String access) {
    }
}
