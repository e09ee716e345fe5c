package org.freedesktop.machine1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * machined's D-Bus error org.freedesktop.machine1.NoSuchMachine. dbus-java maps an error reply
 * to the class named like the error and otherwise drops the error's name, so this class must
 * live here, under that exact name.
 */
public class NoSuchMachine extends DBusExecutionException {
    public NoSuchMachine(String message) {
        super(message);
    }
}
