package io.github.nspawnrunner.systemd;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Connects to the system bus on a thread of its own while the caller reads its config, the job
 * and the chroots: in a fresh JVM, dbus-java's connect costs ~80 ms (its SASL class alone builds
 * a Collator and seeds a SecureRandom), which prepare and cleanup need not wait for in sequence.
 */
public final class SystemBusConnect {
    private final FutureTask<SystemBus> connection;

    private SystemBusConnect(FutureTask<SystemBus> connection) {
        this.connection = connection;
    }

    public static SystemBusConnect start() {
        SystemBusConnect connect = new SystemBusConnect(new FutureTask<>(new java.util.concurrent.Callable<>() {
            @Override
            public SystemBus call() {
                return SystemBus.connect();
            }
        }));
        Thread thread = new Thread(connect.connection, "system-bus-connect");
        thread.setDaemon(true);
        thread.start();
        return connect;
    }

    /** An already open connection: the service's, which its calls share. */
    public static SystemBusConnect of(SystemBus bus) {
        SystemBusConnect connect = new SystemBusConnect(new FutureTask<>(() -> bus));
        connect.connection.run();
        return connect;
    }

    /** The connection, once made; throws what {@link SystemBus#connect()} threw. */
    public SystemBus await() {
        try {
            return connection.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new SystemdException("cannot connect to the system bus: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException("interrupted while connecting to the system bus", e);
        }
    }
}
