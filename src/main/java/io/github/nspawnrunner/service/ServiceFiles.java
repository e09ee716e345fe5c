package io.github.nspawnrunner.service;

import java.nio.file.Path;
import java.util.List;

/**
 * The executor service's two files: its systemd unit, which bin/nspawn-runner starts when a call
 * finds the service not running, and the bus policy (only root may own or call its name).
 * No D-Bus activation file on purpose: when an activated unit fails, dbus-daemon is not told and
 * keeps the caller waiting 25 s (systemd issue 28877); {@code systemctl start} says at once.
 * {@code ROOT} is "/" on a real host; etc/service/ holds them as rendered for /opt/nspawn-runner.
 * The service runs on JAVA_HOME, the JDK of whoever installed it, as bin/nspawn-runner would.
 */
public record ServiceFiles(Path root, Path launcher, Path javaHome) {
    public static final String UNIT = "nspawn-runner.service";
    /** bin/nspawn-runner calls the service only when this file exists. */
    public static final Path UNIT_FILE = Path.of("etc/systemd/system/" + UNIT);
    public static final Path POLICY_FILE = Path.of("etc/dbus-1/system.d/" + Executor1.NAME + ".conf");

    /** systemctl enable's link: the service also starts at boot, and collects the jobs the last boot stranded. */
    public static final Path WANTS_LINK = Path.of("etc/systemd/system/multi-user.target.wants/" + UNIT);

    public record File(Path path, String content) {
    }

    /** The enable link, and what it points at (relative: valid under any ROOT). */
    public File enableLink() {
        return new File(root.resolve(WANTS_LINK), "../" + UNIT);
    }

    public List<File> files() {
        return List.of(
                new File(root.resolve(UNIT_FILE), unit()),
                new File(root.resolve(POLICY_FILE), policy()));
    }

    private String unit() {
        String executable = plainPath(launcher);
        return """
                # nspawn-runner's executor service: runs gitlab-runner's config, prepare and cleanup calls
                # in one resident JVM, which bin/nspawn-runner reaches with busctl. The launcher starts it
                # when a call finds it not running, and it starts at boot; it exits after 15 idle minutes,
                # finishing the calls it has. When it starts, and every 10 minutes while it runs, it
                # removes orphaned jobs (nspawn-runner jobs gc). Installed by 'nspawn-runner service install'.
                [Unit]
                Description=nspawn-runner executor service

                [Service]
                Type=dbus
                BusName=%s
                Environment=JAVA_HOME=%s
                # file names and messages in UTF-8 (systemd gives services no locale)
                Environment=LANG=C.UTF-8
                ExecStart=%s service run
                # job containers run in units of their own (machine.slice): stopping this kills no job;
                # on SIGTERM it finishes the calls in flight first (each has its own timeout, such as
                # prepare_timeout_seconds), then exits as a JVM does (143)
                KillMode=mixed
                TimeoutStopSec=infinity
                SuccessExitStatus=143

                [Install]
                # at boot too: on its start it removes what jobs of the last boot left (nspawn-runner jobs gc)
                WantedBy=multi-user.target
                """.formatted(Executor1.NAME, plainPath(javaHome), executable);
    }

    /** A path a unit file can hold without quoting. */
    private static String plainPath(Path path) {
        String text = path.toString();
        if (!text.matches("/[A-Za-z0-9_./+-]*")) {
            throw new IllegalArgumentException("cannot name " + text + " in a unit file: it must be absolute,"
                    + " of letters, digits and _./+- only");
        }
        return text;
    }

    private static String policy() {
        return """
                <?xml version="1.0"?>
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <!-- nspawn-runner's executor service boots and removes job containers: root only. -->
                <busconfig>
                  <policy user="root">
                    <allow own="%1$s"/>
                    <allow send_destination="%1$s"/>
                  </policy>
                  <policy context="default">
                    <deny send_destination="%1$s"/>
                  </policy>
                </busconfig>
                """.formatted(Executor1.NAME);
    }
}
