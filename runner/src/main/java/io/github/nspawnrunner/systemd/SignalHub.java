package io.github.nspawnrunner.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * One dbus-java handler per signal type on a connection, registered once and never removed,
 * fanning out to the listeners of the moment. The executor service's calls share a connection,
 * and dbus-java 5.2's removeSigHandler drops a signal type's whole handler list without a lock
 * once it looks empty: a handler another call adds at that moment would never hear its signal.
 */
final class SignalHub {
    private final DBusConnection connection;
    private final Map<Class<?>, List<DBusSigHandler<DBusSignal>>> listeners = new ConcurrentHashMap<>();

    SignalHub(DBusConnection connection) {
        this.connection = connection;
    }

    /** Calls LISTENER for every TYPE signal until the result is closed. */
    @SuppressWarnings("unchecked")
    <T extends DBusSignal> AutoCloseable listen(Class<T> type, DBusSigHandler<T> listener) throws DBusException {
        List<DBusSigHandler<DBusSignal>> forType = listeners.get(type);
        if (forType == null) {
            forType = register(type);
        }
        DBusSigHandler<DBusSignal> erased = (DBusSigHandler<DBusSignal>) (DBusSigHandler<?>) listener;
        forType.add(erased);
        List<DBusSigHandler<DBusSignal>> registered = forType;
        return () -> registered.remove(erased);
    }

    private synchronized <T extends DBusSignal> List<DBusSigHandler<DBusSignal>> register(Class<T> type) throws DBusException {
        List<DBusSigHandler<DBusSignal>> existing = listeners.get(type);
        if (existing != null) {
            return existing;
        }
        List<DBusSigHandler<DBusSignal>> forType = new CopyOnWriteArrayList<>();
        connection.addSigHandler(type, signal -> {
            for (DBusSigHandler<DBusSignal> listener : forType) {
                listener.handle(signal);
            }
        });
        listeners.put(type, forType);
        return forType;
    }

    /**
     * Waits until the object NAME is gone: its removal signal TYPE arrives (NAMEOF tells whose a
     * signal is), or PRESENT says it is gone already (checked once listening, so that no removal
     * goes unseen, and once more after TIMEOUT). Returns whether it went; WHAT names it in errors.
     */
    <T extends DBusSignal> boolean awaitGone(Class<T> type, Function<T, String> nameOf, String name,
            BooleanSupplier present, Duration timeout, String what) {
        SignalWaiter<Boolean> removed = new SignalWaiter<>();
        try (AutoCloseable ignored = listen(type, signal -> removed.arrived(nameOf.apply(signal), true))) {
            return !present.getAsBoolean() || removed.await(name, timeout).isPresent() || !present.getAsBoolean();
        } catch (SystemdException e) {
            throw e;
        } catch (Exception e) {
            throw new SystemdException("waiting for " + what + " to go failed: " + e.getMessage(), e);
        }
    }
}
