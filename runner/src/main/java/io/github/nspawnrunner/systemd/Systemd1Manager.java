package io.github.nspawnrunner.systemd;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The part of org.freedesktop.systemd1.Manager that nspawn-runner calls. */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {
    DBusPath StartTransientUnit(String name, String mode, List<UnitProperty> properties, List<AuxUnit> aux);

    DBusPath GetUnit(String name);

    void KillUnit(String name, String whom, int signal);

    void ResetFailedUnit(String name);

    DBusPath StopUnit(String name, String mode);

    /** daemon-reload: re-read unit files. */
    void Reload();

    /** Without a subscriber systemd sends job and unit signals only to the job's creator. */
    void Subscribe();

    class JobRemoved extends DBusSignal {
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public DBusPath job() {
            return job;
        }

        public String unit() {
            return unit;
        }

        public String result() {
            return result;
        }
    }

    class UnitRemoved extends DBusSignal {
        private final String unit;

        public UnitRemoved(String path, String unit, DBusPath unitPath) throws DBusException {
            super(path, unit, unitPath);
            this.unit = unit;
        }

        public String unit() {
            return unit;
        }
    }
}
