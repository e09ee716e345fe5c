package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * systemd's D-Bus error org.freedesktop.systemd1.NoSuchUnit. dbus-java maps an error reply to
 * the class named like the error and otherwise drops the error's name, so this class must live
 * here, under that exact name.
 */
public class NoSuchUnit extends DBusExecutionException {
    public NoSuchUnit(String message) {
        super(message);
    }
}
