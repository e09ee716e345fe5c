package io.github.nspawnrunner.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The executor service's two files: its systemd unit, which bin/nspawn-runner starts when a call
 * finds the service not running, and the bus policy (only root may own or call its name).
 * No D-Bus activation file on purpose: when an activated unit fails, dbus-daemon is not told and
 * keeps the caller waiting 25 s (systemd issue 28877); {@code systemctl start} says at once.
 * {@code ROOT} is "/" on a real host; etc/service/ holds them as rendered for /opt/nspawn-runner.
 * The service runs on JAVA_HOME, the JDK of whoever installed it, as bin/nspawn-runner would.
 * The Debian package ships {@link #packaged()}: under /usr, where packages put them (an admin's
 * files in /etc still win), with no JAVA_HOME: the launcher then runs the system's {@code java},
 * which the package depends on and which follows JDK upgrades.
 */
public record ServiceFiles(Path root, Path launcher, Optional<Path> javaHome, boolean inPackage) {
    public static final String UNIT = "nspawn-runner.service";
    /** bin/nspawn-runner calls the service only when this file exists. */
    public static final Path UNIT_FILE = Path.of("etc/systemd/system/" + UNIT);
    public static final Path POLICY_FILE = Path.of("etc/dbus-1/system.d/" + Executor1.NAME + ".conf");
    public static final Path PACKAGED_UNIT_FILE = Path.of("usr/lib/systemd/system/" + UNIT);
    public static final Path PACKAGED_POLICY_FILE = Path.of("usr/share/dbus-1/system.d/" + Executor1.NAME + ".conf");
    /**
     * systemctl enable's link: the service also starts at boot, and collects the jobs the last boot
     * stranded. 'service install' makes it; the package's postinst has deb-systemd-helper make it.
     */
    public static final Path WANTS_LINK = Path.of("etc/systemd/system/multi-user.target.wants/" + UNIT);

    /** The files 'service install' writes for LAUNCHER, running on JAVA_HOME. */
    public ServiceFiles(Path root, Path launcher, Path javaHome) {
        this(root, launcher, Optional.of(javaHome), false);
    }

    /** The files of the Debian package (deb/ holds them as rendered here). */
    public static ServiceFiles packaged() {
        return new ServiceFiles(Path.of("/"), Path.of("/usr/bin/nspawn-runner"), Optional.empty(), true);
    }

    public record File(Path path, String content) {
    }

    /** The enable link, and what it points at (relative: valid under any ROOT; the package's unit is in /usr). */
    public File enableLink() {
        return new File(root.resolve(WANTS_LINK), inPackage ? "/" + PACKAGED_UNIT_FILE : "../" + UNIT);
    }

    public List<File> files() {
        return List.of(
                new File(root.resolve(inPackage ? PACKAGED_UNIT_FILE : UNIT_FILE), unit()),
                new File(root.resolve(inPackage ? PACKAGED_POLICY_FILE : POLICY_FILE), policy()));
    }

    private String unit() {
        String executable = plainPath(launcher);
        String environment = javaHome.map(home -> "Environment=JAVA_HOME=" + plainPath(home) + "\n").orElse("");
        String installedBy = inPackage ? "the Debian package" : "'nspawn-runner service install'";
        // only the package installs man pages (systemd-analyze verify checks that they exist)
        String documentation = inPackage ? "Documentation=man:nspawn-runner-service(1)\n" : "";
        return """
                # nspawn-runner's executor service: runs gitlab-runner's config, prepare and cleanup calls
                # in one resident JVM, which bin/nspawn-runner reaches with busctl. The launcher starts it
                # when a call finds it not running, and it starts at boot; it exits after 15 idle minutes,
                # finishing the calls it has. When it starts, and every 10 minutes while it runs, it
                # removes orphaned jobs (nspawn-runner jobs gc). Installed by %s.
                [Unit]
                Description=nspawn-runner executor service
                %s
                [Service]
                Type=dbus
                BusName=%s
                %s# file names and messages in UTF-8 (systemd gives services no locale)
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
                """.formatted(installedBy, documentation, Executor1.NAME, environment, executable);
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
