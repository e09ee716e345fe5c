package io.github.nspawnrunner.service;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The D-Bus error for a call the service will not run: the launcher then runs it in a JVM of its own. */
public final class NotServed extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public NotServed(String message) {
        super(message);
    }
}
