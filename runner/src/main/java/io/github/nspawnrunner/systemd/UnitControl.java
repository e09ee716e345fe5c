package io.github.nspawnrunner.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** Starts, kills and waits for systemd units through org.freedesktop.systemd1. */
public final class UnitControl {
    private static final int SIGKILL = 9;

    private static final String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";
    private static final String SERVICE_INTERFACE = "org.freedesktop.systemd1.Service";
    private static final String SLICE_INTERFACE = "org.freedesktop.systemd1.Slice";

    private final SignalHub signals;
    private final Systemd1Manager manager;
    /** A unit's object (by its path), for its properties. */
    private final Function<String, Properties> unitObjects;

    UnitControl(SignalHub signals, Systemd1Manager manager, Function<String, Properties> unitObjects) {
        this.signals = signals;
        this.manager = manager;
        this.unitObjects = unitObjects;
    }

    /**
     * Starts the service and returns once systemd reports its start job done, which for
     * Type=notify means the service said READY=1.
     */
    public void startAndWait(TransientService service) {
        Duration wait = service.startTimeout().plusSeconds(5);
        String result;
        try {
            result = runJob(() -> manager.StartTransientUnit(service.unit(), "fail", properties(service), List.of()), wait)
                    .orElseThrow(() -> new SystemdException("no word from systemd on starting " + service.unit()
                            + " within " + wait.toSeconds() + " s"));
        } catch (DBusExecutionException e) {
            throw new SystemdException("systemd refused to start " + service.unit() + ": " + e.getMessage(), e);
        }
        if (!"done".equals(result)) {
            throw new SystemdException("starting " + service.unit() + " ended with '" + result + "'"
                    + ("timeout".equals(result) ? " (not ready within " + service.startTimeout().toSeconds() + " s)" : ""));
        }
    }

    /**
     * {@link #startAndWait} for SERVICES at once: systemd starts them side by side (an image job's
     * container and its helper), and this returns once each is ready; the first failure throws,
     * after all were waited for (the caller's cleanup then finds each one started or gone).
     */
    public void startAllAndWait(List<TransientService> services) {
        SignalWaiter<String> jobResults = new SignalWaiter<>();
        List<String> jobs = new ArrayList<>();
        SystemdException failure = null;
        try (AutoCloseable ignored = signals.listen(Systemd1Manager.JobRemoved.class,
                signal -> jobResults.arrived(signal.job().getPath(), signal.result()))) {
            subscribe();
            for (TransientService service : services) {
                try {
                    jobs.add(manager.StartTransientUnit(service.unit(), "fail", properties(service), List.of()).getPath());
                } catch (DBusExecutionException e) {
                    throw new SystemdException("systemd refused to start " + service.unit() + ": " + e.getMessage(), e);
                }
            }
            for (int i = 0; i < services.size(); i++) {
                TransientService service = services.get(i);
                Duration wait = service.startTimeout().plusSeconds(5);
                String result = jobResults.await(jobs.get(i), wait).orElse("no word from systemd within " + wait.toSeconds() + " s");
                if (!"done".equals(result) && failure == null) {
                    failure = new SystemdException("starting " + service.unit() + " ended with '" + result + "'"
                            + ("timeout".equals(result) ? " (not ready within " + service.startTimeout().toSeconds() + " s)" : ""));
                }
            }
        } catch (SystemdException e) {
            throw e;
        } catch (Exception e) {
            throw new SystemdException("waiting for a systemd job failed: " + e.getMessage(), e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops UNIT and waits until systemd has; a unit that is not loaded is fine. */
    public void stopAndWait(String unit, Duration timeout) {
        try {
            runJob(() -> manager.StopUnit(unit, "replace"), timeout)
                    .orElseThrow(() -> new SystemdException(unit + " did not stop within " + timeout.toSeconds() + " s"));
        } catch (NoSuchUnit e) {
            // not loaded: nothing to stop
        } catch (DBusExecutionException e) {
            throw new SystemdException("cannot stop " + unit + ": " + e.getMessage(), e);
        }
    }

    /** Enqueues a job with ENQUEUE and returns its result ("done", "failed", ...) once systemd removes it. */
    private Optional<String> runJob(Supplier<DBusPath> enqueue, Duration timeout) {
        SignalWaiter<String> jobResults = new SignalWaiter<>();
        try (AutoCloseable ignored = signals.listen(Systemd1Manager.JobRemoved.class,
                signal -> jobResults.arrived(signal.job().getPath(), signal.result()))) {
            subscribe();
            return jobResults.await(enqueue.get().getPath(), timeout);
        } catch (DBusExecutionException | SystemdException e) {
            throw e;
        } catch (Exception e) {
            throw new SystemdException("waiting for a systemd job failed: " + e.getMessage(), e);
        }
    }

    public boolean isLoaded(String unit) {
        try {
            manager.GetUnit(unit);
            return true;
        } catch (NoSuchUnit e) {
            return false;
        } catch (DBusExecutionException e) {
            throw new SystemdException("cannot look up " + unit + ": " + e.getMessage(), e);
        }
    }

    /** The service or slice UNIT's state and usage (a slice's: of all its units); empty when it is not loaded. */
    public Optional<UnitUsage> usage(String unit) {
        String counters = unit.endsWith(".slice") ? SLICE_INTERFACE : SERVICE_INTERFACE;
        try {
            Properties properties = unitObjects.apply(manager.GetUnit(unit).getPath());
            return Optional.of(new UnitUsage(properties.Get(UNIT_INTERFACE, "ActiveState"),
                    counter(properties.Get(counters, "MemoryCurrent")),
                    counter(properties.Get(counters, "CPUUsageNSec"))));
        } catch (NoSuchUnit e) {
            return Optional.empty();
        } catch (DBusExecutionException | ClassCastException e) {
            throw new SystemdException("cannot read the state of " + unit + ": " + e.getMessage(), e);
        }
    }

    /** systemd's uint64 counters say "unknown" with their largest value. */
    private static OptionalLong counter(Object value) {
        if (value instanceof UInt64 unsigned && unsigned.value().compareTo(UInt64.MAX_BIG_VALUE) < 0) {
            return OptionalLong.of(unsigned.longValue());
        }
        return OptionalLong.empty();
    }

    /** SIGKILL to every process of the unit; a unit that is already gone is fine. */
    public void killAll(String unit) {
        try {
            manager.KillUnit(unit, "all", SIGKILL);
        } catch (NoSuchUnit e) {
            // already gone: nothing to kill
        } catch (DBusExecutionException e) {
            throw new SystemdException("cannot kill " + unit + ": " + e.getMessage(), e);
        }
    }

    /** Makes systemd re-read unit files (daemon-reload), for a unit file just written or removed. */
    public void reloadUnitFiles() {
        try {
            manager.Reload();
        } catch (DBusExecutionException e) {
            throw new SystemdException("systemd did not reload its unit files: " + e.getMessage(), e);
        }
    }

    /** Forgets a failed unit; nothing to do when systemd already collected it. */
    public void resetFailed(String unit) {
        try {
            manager.ResetFailedUnit(unit);
        } catch (DBusExecutionException e) {
            // NoSuchUnit or "not failed": either way nothing is left to reset
        }
    }

    /** Waits until systemd has unloaded the unit; returns whether it did within the timeout. */
    public boolean awaitUnloaded(String unit, Duration timeout) {
        // systemd sends UnitRemoved to subscribers only (machined sends its signals to all)
        subscribe();
        return signals.awaitGone(Systemd1Manager.UnitRemoved.class, Systemd1Manager.UnitRemoved::unit, unit,
                () -> isLoaded(unit), timeout, unit);
    }

    private void subscribe() {
        try {
            manager.Subscribe();
        } catch (DBusExecutionException e) {
            // "already subscribed" is the only refusal systemd has here, and it is harmless
        }
    }

    private static List<UnitProperty> properties(TransientService service) {
        List<UnitProperty> properties = new ArrayList<>();
        properties.add(new UnitProperty("Description", new Variant<>(service.description())));
        properties.add(new UnitProperty("Type", new Variant<>("notify")));
        properties.add(new UnitProperty("Slice", new Variant<>(service.slice())));
        properties.add(new UnitProperty("Delegate", new Variant<>(true)));
        properties.add(new UnitProperty("KillMode", new Variant<>("mixed")));
        properties.add(new UnitProperty("CollectMode", new Variant<>("inactive-or-failed")));
        properties.add(new UnitProperty("TimeoutStartUSec", new Variant<>(micros(service.startTimeout()))));
        properties.add(new UnitProperty("StandardOutputFileToAppend", new Variant<>(service.outputFile().toString())));
        properties.add(new UnitProperty("StandardErrorFileToAppend", new Variant<>(service.outputFile().toString())));
        List<String> command = service.command();
        properties.add(new UnitProperty("ExecStart", new Variant<>(
                List.of(new ExecCommand(command.get(0), command, false)), "a(sasb)")));
        properties.addAll(resourceProperties(service.resources()));
        return properties;
    }

    /**
     * Starts the transient slice SLICE (in the slice its name nests it in) under RESOURCES and
     * returns once systemd has: the units started in it afterwards share its one budget. It stays
     * until stopped ({@link #stopAndWait}), which stops every unit in it.
     */
    public void startSliceAndWait(String slice, String description, ResourceControl resources, Duration timeout) {
        List<UnitProperty> properties = sliceProperties(description, resources);
        String result;
        try {
            result = runJob(() -> manager.StartTransientUnit(slice, "fail", properties, List.of()), timeout)
                    .orElseThrow(() -> new SystemdException("no word from systemd on starting " + slice
                            + " within " + timeout.toSeconds() + " s"));
        } catch (DBusExecutionException e) {
            throw new SystemdException("systemd refused to start " + slice + ": " + e.getMessage(), e);
        }
        if (!"done".equals(result)) {
            throw new SystemdException("starting " + slice + " ended with '" + result + "'");
        }
    }

    /**
     * The device policy and limits. OOMPolicy=continue: when the memory limit kills one process of
     * the job, the job's stage fails and says so, instead of systemd stopping the whole container.
     */
    static List<UnitProperty> resourceProperties(ResourceControl resources) {
        List<UnitProperty> properties = cgroupProperties(resources);
        properties.add(new UnitProperty("OOMPolicy", new Variant<>("continue")));
        return properties;
    }

    /** A job's slice's: its limits and device policy, as a service's but OOMPolicy (a service's alone). */
    static List<UnitProperty> sliceProperties(String description, ResourceControl resources) {
        List<UnitProperty> properties = new ArrayList<>();
        properties.add(new UnitProperty("Description", new Variant<>(description)));
        properties.addAll(cgroupProperties(resources));
        return properties;
    }

    /** The device policy and limits, which a slice takes as well as a service. */
    private static List<UnitProperty> cgroupProperties(ResourceControl resources) {
        List<UnitProperty> properties = new ArrayList<>();
        properties.add(new UnitProperty("DevicePolicy", new Variant<>("closed")));
        List<DeviceAllow> allow = resources.deviceAllow().stream()
                .map(device -> new DeviceAllow(device.device(), device.access())).toList();
        properties.add(new UnitProperty("DeviceAllow", new Variant<>(allow, "a(ss)")));
        properties.add(new UnitProperty("MemoryAccounting", new Variant<>(true)));
        // for `nspawn-runner jobs`: the CPU time a job has used
        properties.add(new UnitProperty("CPUAccounting", new Variant<>(true)));
        properties.add(new UnitProperty("MemoryMax", new Variant<>(unsigned(resources.memoryMax()))));
        if (resources.memoryMax() != ResourceControl.UNLIMITED) {
            properties.add(new UnitProperty("MemorySwapMax", new Variant<>(new UInt64(0))));
        }
        properties.add(new UnitProperty("CPUQuotaPerSecUSec", new Variant<>(
                resources.cpuQuotaPercent() == ResourceControl.UNLIMITED ? unsigned(ResourceControl.UNLIMITED)
                        : new UInt64(resources.cpuQuotaPercent() * 10_000))));
        properties.add(new UnitProperty("TasksAccounting", new Variant<>(true)));
        properties.add(new UnitProperty("TasksMax", new Variant<>(unsigned(resources.tasksMax()))));
        properties.add(new UnitProperty("IOWeight", new Variant<>(new UInt64(resources.ioWeight()))));
        return properties;
    }

    /**
     * The same as {@link #resourceProperties}, written as systemd-run's --property takes them: for
     * units that the stage path starts with systemd-run (an image job's stages).
     */
    public static List<String> resourceSettings(ResourceControl resources) {
        List<String> settings = new ArrayList<>();
        settings.add("DevicePolicy=closed");
        resources.deviceAllow().forEach(device -> settings.add("DeviceAllow=" + device.device() + " " + device.access()));
        settings.add("MemoryAccounting=yes");
        settings.add("CPUAccounting=yes");
        settings.add("MemoryMax=" + setting(resources.memoryMax()));
        if (resources.memoryMax() != ResourceControl.UNLIMITED) {
            settings.add("MemorySwapMax=0");
        }
        settings.add("OOMPolicy=continue");
        if (resources.cpuQuotaPercent() != ResourceControl.UNLIMITED) {
            settings.add("CPUQuota=" + resources.cpuQuotaPercent() + "%");
        }
        settings.add("TasksAccounting=yes");
        settings.add("TasksMax=" + setting(resources.tasksMax()));
        settings.add("IOWeight=" + resources.ioWeight());
        return settings;
    }

    private static String setting(long value) {
        return value == ResourceControl.UNLIMITED ? "infinity" : Long.toString(value);
    }

    /** systemd's "infinity" is the largest uint64. */
    private static UInt64 unsigned(long value) {
        return value == ResourceControl.UNLIMITED ? new UInt64(UInt64.MAX_BIG_VALUE) : new UInt64(value);
    }

    private static UInt64 micros(Duration duration) {
        return new UInt64(duration.toNanos() / 1000);
    }

}
