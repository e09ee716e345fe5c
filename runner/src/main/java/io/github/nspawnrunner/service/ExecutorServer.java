package io.github.nspawnrunner.service;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.Journal;
import io.github.nspawnrunner.systemd.SystemBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link Executor1} on the system bus until idle for a while or its jar is replaced; the
 * launcher starts it again when a call finds it gone, so exiting costs only that start-up. It
 * never abandons a call: a SIGTERM (systemctl stop, or systemd stopping a Type=dbus service
 * that gave its name up) waits for the calls in flight, a cancelled prepare's cleanup included.
 */
public final class ExecutorServer {
    /** After giving the name up: calls already addressed to this process may still arrive. */
    private static final Duration DRAIN = Duration.ofMillis(500);

    private final SystemBus bus;
    private final Log log;
    private final Supplier<Optional<Journal>> journal;

    /** JOURNAL, when it opens one, takes the entry per call with its fields; LOG takes the rest. */
    public ExecutorServer(SystemBus bus, Log log, Supplier<Optional<Journal>> journal) {
        this.bus = bus;
        this.log = log;
        this.journal = journal;
    }

    /**
     * Blocks while serving; returns once the service has given its name up and finished every call.
     * HOUSEKEEPING (collecting orphaned jobs) runs once the service serves, then every PERIOD, on a
     * thread of its own; a stop waits for it as for a call, but it does not postpone the idle exit.
     */
    public void serve(CallHandler handler, Path jar, Duration idleExit, Runnable housekeeping, Duration period)
            throws InterruptedException {
        ScheduledExecutorService housekeeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        try {
            serve(handler, jar, idleExit, activity -> housekeeper.scheduleWithFixedDelay(() -> asCall(activity, housekeeping),
                    0, period.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            housekeeper.shutdown();
        }
    }

    private void asCall(Activity activity, Runnable housekeeping) {
        if (!activity.begin()) {
            return;
        }
        try {
            housekeeping.run();
        } catch (RuntimeException e) {
            // the next round tries again; the service goes on serving calls
            log.info("housekeeping failed: " + e.getMessage());
        } finally {
            // no call: a round every PERIOD must not keep an idle service from exiting
            activity.endOwnWork();
        }
    }

    private void serve(CallHandler handler, Path jar, Duration idleExit, java.util.function.Consumer<Activity> startHousekeeping)
            throws InterruptedException {
        Activity activity = new Activity(ServiceClock.SYSTEM);
        CallerLookup callers = new BusCallerLookup(bus, Path.of("/proc"));
        ServiceLog serviceLog = new ServiceLog(journal, log);
        ExecutorEndpoint endpoint = new ExecutorEndpoint(handler, callers, ServedJar.of(jar), activity, serviceLog);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> finishCalls(activity, serviceLog), "finish-calls"));
        // a connection the bus dropped answers nothing: exit, and the next call starts a new service
        bus.whenLost(activity::requestRestart);
        bus.serve(Executor1.NAME, Executor1.OBJECT_PATH, endpoint);
        log.info("serving " + Executor1.NAME + " for " + jar + "; exits after " + idleExit.toSeconds() + " s without calls");
        startHousekeeping.accept(activity);
        activity.awaitStop(idleExit);
        releaseName();
        activity.awaitQuiet(DRAIN);
        serviceLog.flush(DRAIN);
        log.info("stopped: idle for " + idleExit.toSeconds() + " s, jar replaced, or system bus lost");
    }

    private void releaseName() {
        try {
            bus.release(Executor1.NAME);
        } catch (RuntimeException e) {
            // given up already (idle exit), or the connection is closed: no new calls either way
        }
    }

    /**
     * On SIGTERM: take no new calls, and let those in flight end and their replies leave (a call
     * counts as ended just before dbus-java sends its reply, hence the drain time after it).
     */
    private void finishCalls(Activity activity, ServiceLog serviceLog) {
        activity.stopAccepting();
        releaseName();
        try {
            activity.awaitCallsEnded(DRAIN);
            serviceLog.flush(DRAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
