package io.github.nspawnrunner.systemd;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One (ss) entry of a DeviceAllow property: device node or class, and access (r, w, m). */
public final class DeviceAllow extends Struct {
    @Position(0)
    public final String device;
    @Position(1)
    public final String access;

    public DeviceAllow(String device, String access) {
        this.device = device;
        this.access = access;
    }
}
