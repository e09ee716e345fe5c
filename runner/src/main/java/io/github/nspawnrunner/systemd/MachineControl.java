package io.github.nspawnrunner.systemd;

import java.time.Duration;
import java.util.function.Function;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.machine1.NoSuchMachine;

/** Looks up, kills and waits for machines through org.freedesktop.machine1. */
public final class MachineControl {
    private static final int SIGKILL = 9;

    private final SignalHub signals;
    private final Machine1Manager manager;
    /** A machine's object (by its path), for its properties. */
    private final Function<String, Properties> machineObjects;

    MachineControl(SignalHub signals, Machine1Manager manager, Function<String, Properties> machineObjects) {
        this.signals = signals;
        this.manager = manager;
        this.machineObjects = machineObjects;
    }

    public boolean isRegistered(String machine) {
        try {
            manager.GetMachine(machine);
            return true;
        } catch (NoSuchMachine e) {
            return false;
        } catch (DBusExecutionException e) {
            throw new SystemdException("cannot look up machine " + machine + ": " + e.getMessage(), e);
        }
    }

    /** The host pid of the machine's init (its leader): the way into its namespaces. */
    public long leaderPid(String machine) {
        try {
            Object leader = machineObjects.apply(manager.GetMachine(machine).getPath())
                    .Get("org.freedesktop.machine1.Machine", "Leader");
            return ((Number) leader).longValue();
        } catch (NoSuchMachine e) {
            throw new SystemdException("machine " + machine + " is not registered (did its container stop?)", e);
        } catch (DBusExecutionException | ClassCastException e) {
            throw new SystemdException("cannot find the leader of machine " + machine + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills the container's init with SIGKILL, which takes every process of its PID namespace
     * with it at once. systemd-nspawn outlives it and still unmounts and unregisters as usual,
     * so nothing lingers, and no graceful shutdown of a throw-away container is waited for.
     */
    public void killLeader(String machine) {
        try {
            manager.KillMachine(machine, "leader", SIGKILL);
        } catch (NoSuchMachine e) {
            // already gone: nothing to kill
        } catch (DBusExecutionException e) {
            throw new SystemdException("cannot kill machine " + machine + ": " + e.getMessage(), e);
        }
    }

    /** Waits until machined forgets the machine; returns whether it did within the timeout. */
    public boolean awaitRemoved(String machine, Duration timeout) {
        return signals.awaitGone(Machine1Manager.MachineRemoved.class, Machine1Manager.MachineRemoved::machine, machine,
                () -> isRegistered(machine), timeout, "machine " + machine);
    }
}
