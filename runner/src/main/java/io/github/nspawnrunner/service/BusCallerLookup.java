package io.github.nspawnrunner.service;

import io.github.nspawnrunner.systemd.BusCaller;
import io.github.nspawnrunner.systemd.SystemBus;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The caller's environment, read by the service from the caller's process rather than sent in the
 * call: gitlab-runner passes every job variable, secrets included, and a method call's arguments
 * would be busctl's command line, which every local user can read in /proc/PID/cmdline. Only root
 * (this service) may read another root process's environ.
 *
 * PID reuse: the pid comes from dbus-daemon; its /proc directory is opened once and every read
 * goes through it. A process that took a recycled pid would have to be root to pass the uid check,
 * and the caller's connection must still be on the bus after the reads: then its process was alive
 * all along, so the pid was never free to be reused.
 */
public final class BusCallerLookup implements CallerLookup {
    private final SystemBus bus;
    private final Path proc;

    public BusCallerLookup(SystemBus bus, Path proc) {
        this.bus = bus;
        this.proc = proc;
    }

    @Override
    public Caller identify() {
        BusCaller caller = bus.caller();
        if (caller.uid() != Caller.ROOT) {
            return Caller.unprivileged(caller.uid());
        }
        Caller identified;
        try (CallerProcess process = CallerProcess.open(proc, caller.pid())) {
            identified = read(process);
        } catch (IOException | RuntimeException e) {
            throw new NotServed("the service cannot read the environment of the caller, process " + caller.pid() + ": " + e.getMessage());
        }
        if (!identified.isRoot()) {
            throw new NotServed("process " + caller.pid() + " of the caller runs as uid " + identified.uid() + " now, not root");
        }
        if (!bus.isConnected(caller.sender())) {
            throw new NotServed("the caller, process " + caller.pid() + ", left before its environment was read");
        }
        return identified;
    }

    private static Caller read(CallerProcess process) throws IOException {
        long uid = process.effectiveUid();
        if (uid != Caller.ROOT) {
            return Caller.unprivileged(uid);
        }
        var environment = process.environment();
        String jobResponseFile = environment.getOrDefault("JOB_RESPONSE_FILE", "");
        return new Caller(uid, environment, jobResponseFile.startsWith("/") && process.sees(jobResponseFile));
    }
}
