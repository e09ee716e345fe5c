package io.github.nspawnrunner.systemd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/** A connection to the host's system bus, where systemd (systemd1) and machined (machine1) answer. */
public final class SystemBus implements AutoCloseable {
    private static final Path DEFAULT_SOCKET = Path.of("/run/dbus/system_bus_socket");
    private static final int CONNECT_ATTEMPT_MILLIS = 500;

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
        String address = System.getenv().getOrDefault("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + DEFAULT_SOCKET);
        try {
            // one attempt: dbus-java retries every 500 ms for 10 s by default, and a bus that is
            // down now (socket-activated or not) will not be up within a job's prepare either
            DBusConnection connection = builder.transportConfig().withTimeout(CONNECT_ATTEMPT_MILLIS).back().build();
            return new SystemBus(connection, new SignalHub(connection), true);
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("the system bus is not reachable at " + address + " (" + rootCause(e)
                    + "): check that dbus runs ('systemctl status dbus.socket dbus.service')"
                    + " and that DBUS_SYSTEM_BUS_ADDRESS, if set, names its socket", e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.strip();
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

    /** Runs WHENLOST once the bus drops this connection (dbus-daemon restarted or stopped). */
    public void whenLost(Runnable whenLost) {
        connection.setDisconnectCallback(new IDisconnectCallback() {
            @Override
            public void disconnectOnError(IOException e) {
                whenLost.run();
            }
        });
    }

    /** Gives NAME up: no new calls reach this process. */
    public void release(String name) {
        try {
            connection.releaseBusName(name);
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot release " + name + " on the system bus: " + e.getMessage(), e);
        }
    }

    /** The peer whose method call this thread is answering, as dbus-daemon knows it (SO_PEERCRED). */
    public BusCaller caller() {
        DBusCallInfo call = AbstractConnectionBase.getCallInfo();
        if (call == null) {
            throw new IllegalStateException("caller() outside a D-Bus method call");
        }
        Map<String, Variant<?>> credentials = daemon().GetConnectionCredentials(call.getSource());
        return new BusCaller(call.getSource(), number(credentials.get("UnixUserID")), number(credentials.get("ProcessID")));
    }

    private static long number(Variant<?> value) {
        return value != null && value.getValue() instanceof Number number ? number.longValue() : -1;
    }

    /** Whether the connection with unique name SENDER is still on the bus: its process has not ended. */
    public boolean isConnected(String sender) {
        return daemon().NameHasOwner(sender);
    }

    private DBus daemon() {
        return remote("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
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
        return new UnitControl(signals, remote("org.freedesktop.systemd1", "/org/freedesktop/systemd1", Systemd1Manager.class),
                path -> remote("org.freedesktop.systemd1", path, Properties.class));
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
