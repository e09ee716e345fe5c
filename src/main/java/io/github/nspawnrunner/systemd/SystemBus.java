package io.github.nspawnrunner.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;

/** A connection to the host's system bus, where systemd (systemd1) and machined (machine1) answer. */
public final class SystemBus implements AutoCloseable {
    private static final Path DEFAULT_SOCKET = Path.of("/run/dbus/system_bus_socket");

    private final DBusConnection connection;
    private final SignalHub signals;
    private final boolean owned;

    private SystemBus(DBusConnection connection, SignalHub signals, boolean owned) {
        this.connection = connection;
        this.signals = signals;
        this.owned = owned;
    }

    public static SystemBus connect() {
        return connect(DBusConnectionBuilder.forSystemBus().withShared(false));
    }

    /**
     * A connection for the executor service: it answers up to METHOD_CALL_THREADS calls at once,
     * each of which may wait for a container to boot.
     */
    public static SystemBus connectForService(int methodCallThreads) {
        return connect(DBusConnectionBuilder.forSystemBus().withShared(false)
                .receivingThreadConfig().withMethodCallThreadCount(methodCallThreads).connectionConfig());
    }

    private static SystemBus connect(DBusConnectionBuilder builder) {
        // without this check dbus-java keeps retrying a missing socket for about ten seconds
        if (System.getenv("DBUS_SYSTEM_BUS_ADDRESS") == null && !Files.exists(DEFAULT_SOCKET)) {
            throw new SystemdException("cannot connect to the system bus: no " + DEFAULT_SOCKET
                    + " (nspawn-runner needs a host booted with systemd, with dbus running)");
        }
        try {
            DBusConnection connection = builder.build();
            return new SystemBus(connection, new SignalHub(connection), true);
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot connect to the system bus (is this a systemd host with"
                    + " dbus running?): " + e.getMessage(), e);
        }
    }

    /** This connection for a caller that must not close it: the service's calls share it. */
    public SystemBus borrowed() {
        return new SystemBus(connection, signals, false);
    }

    /** Exports OBJECT and takes NAME for it, failing when another process owns NAME already. */
    public void serve(String name, String objectPath, DBusInterface object) {
        try {
            connection.exportObject(objectPath, object);
            connection.requestBusName(name);
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot serve " + name + " on the system bus: " + e.getMessage(), e);
        }
    }

    /** Gives NAME up: no new calls reach this process. */
    public void release(String name) {
        try {
            connection.releaseBusName(name);
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot release " + name + " on the system bus: " + e.getMessage(), e);
        }
    }

    /** The uid of the peer whose method call this thread is answering. */
    public long callerUid() {
        DBusCallInfo call = AbstractConnectionBase.getCallInfo();
        if (call == null) {
            throw new IllegalStateException("callerUid() outside a D-Bus method call");
        }
        return remote("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class).GetConnectionUnixUser(call.getSource()).longValue();
    }

    /** Makes dbus-daemon re-read its policy files now rather than when it notices. */
    public void reloadBusConfig() {
        try {
            remote("org.freedesktop.DBus", "/org/freedesktop/DBus", BusDaemon.class).ReloadConfig();
        } catch (DBusExecutionException e) {
            throw new SystemdException("dbus-daemon did not reload its configuration: " + e.getMessage(), e);
        }
    }

    public UnitControl units() {
        return new UnitControl(signals, remote("org.freedesktop.systemd1", "/org/freedesktop/systemd1", Systemd1Manager.class));
    }

    public MachineControl machines() {
        return new MachineControl(signals, remote("org.freedesktop.machine1", "/org/freedesktop/machine1", Machine1Manager.class),
                path -> remote("org.freedesktop.machine1", path, Properties.class));
    }

    private <T extends DBusInterface> T remote(String bus, String path, Class<T> type) {
        try {
            return connection.getRemoteObject(bus, path, type);
        } catch (DBusException e) {
            throw new SystemdException("cannot reach " + bus + " on the system bus: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            connection.close();
        } catch (IOException e) {
            // the process is about to end; a failed goodbye to the bus changes nothing
        }
    }
}
