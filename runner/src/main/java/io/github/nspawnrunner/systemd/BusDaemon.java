package io.github.nspawnrunner.systemd;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The one method of org.freedesktop.DBus that dbus-java's own interface for it lacks. */
@DBusInterfaceName("org.freedesktop.DBus")
interface BusDaemon extends DBusInterface {
    void ReloadConfig();
}
