package io.github.nspawnrunner.systemd;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands inside a machine as transient services of the machine's own systemd, through
 * {@code systemd-run --machine --pipe}. Our stdin, stdout and stderr are handed to the service
 * itself as file descriptors, so output reaches the job log as it is written, with no copying.
 * <p>
 * This is systemd's own client on purpose: handing file descriptors over D-Bus from Java does not
 * work with dbus-java (its UNIX_FDS header misses descriptors nested in a property Variant), and
 * the process costs ~20 ms against ~60 ms of loading a D-Bus stack into this JVM.
 */
public final class MachineShell {
    private static final Map<String, String> SERVICE_ENVIRONMENT = Map.of(
            "HOME", "/root", "USER", "root", "LOGNAME", "root", "SHELL", "/bin/bash", "LANG", "C.UTF-8");

    /**
     * Starts COMMAND in MACHINE as service UNIT, killed with its whole cgroup when it ends or is
     * stopped. The returned process ends when the unit does; signals to the caller do not reach it.
     */
    public Process start(String machine, String unit, Duration stopGrace, List<String> command) {
        // setsid: gitlab-runner's SIGTERM goes to our whole process group, and systemd-run would
        // exit on it at once, leaving the unit running and racing our own orderly stop of it
        List<String> argv = new ArrayList<>(List.of(
                "setsid", "systemd-run", "--quiet", "--machine=" + machine, "--unit=" + unit,
                "--pipe", "--wait", "--collect", "--service-type=exec", "--working-directory=/root",
                "--property=KillMode=control-group",
                "--property=TimeoutStopSec=" + stopGrace.toMillis() + "ms",
                "--property=SendSIGKILL=yes"));
        for (var variable : SERVICE_ENVIRONMENT.entrySet()) {
            argv.add("--setenv=" + variable.getKey() + "=" + variable.getValue());
        }
        argv.add("--");
        argv.addAll(command);
        try {
            return new ProcessBuilder(argv).inheritIO().start();
        } catch (IOException e) {
            throw new SystemdException("cannot run systemd-run (is systemd-container installed?): " + e.getMessage(), e);
        }
    }

    /**
     * Stops UNIT in MACHINE: SIGTERM to all its processes, SIGKILL after the unit's stop grace.
     * Returns whether systemctl confirmed the stop within the timeout.
     */
    public boolean stop(String machine, String unit, Duration timeout) {
        try {
            Process stop = new ProcessBuilder("systemctl", "--machine=" + machine, "stop", unit)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (stop.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return stop.exitValue() == 0;
            }
            stop.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
