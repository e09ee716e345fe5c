package io.github.nspawnrunner.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/** A connection to the host's system bus, where systemd (systemd1) and machined (machine1) answer. */
public final class SystemBus implements AutoCloseable {
    private static final Path DEFAULT_SOCKET = Path.of("/run/dbus/system_bus_socket");

    private final DBusConnection connection;

    private SystemBus(DBusConnection connection) {
        this.connection = connection;
    }

    public static SystemBus connect() {
        // without this check dbus-java keeps retrying a missing socket for about ten seconds
        if (System.getenv("DBUS_SYSTEM_BUS_ADDRESS") == null && !Files.exists(DEFAULT_SOCKET)) {
            throw new SystemdException("cannot connect to the system bus: no " + DEFAULT_SOCKET
                    + " (nspawn-runner needs a host booted with systemd, with dbus running)");
        }
        try {
            return new SystemBus(DBusConnectionBuilder.forSystemBus().withShared(false).build());
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot connect to the system bus (is this a systemd host with"
                    + " dbus running?): " + e.getMessage(), e);
        }
    }

    public UnitControl units() {
        return new UnitControl(connection, remote("org.freedesktop.systemd1", "/org/freedesktop/systemd1", Systemd1Manager.class));
    }

    public MachineControl machines() {
        return new MachineControl(connection, remote("org.freedesktop.machine1", "/org/freedesktop/machine1", Machine1Manager.class));
    }

    private <T extends org.freedesktop.dbus.interfaces.DBusInterface> T remote(String bus, String path, Class<T> type) {
        try {
            return connection.getRemoteObject(bus, path, type);
        } catch (DBusException e) {
            throw new SystemdException("cannot reach " + bus + " on the system bus: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // the process is about to end; a failed goodbye to the bus changes nothing
        }
    }
}
