package io.github.nspawnrunner.systemd;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/** The part of org.freedesktop.machine1.Manager that nspawn-runner calls. */
@DBusInterfaceName("org.freedesktop.machine1.Manager")
public interface Machine1Manager extends DBusInterface {
    DBusPath GetMachine(String name);

    void KillMachine(String name, String whom, int signal);

    class MachineRemoved extends DBusSignal {
        private final String machine;

        public MachineRemoved(String path, String machine, DBusPath machinePath) throws DBusException {
            super(path, machine, machinePath);
            this.machine = machine;
        }

        public String machine() {
            return machine;
        }
    }
}
