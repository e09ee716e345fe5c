package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * What the job container's systemd leaves out at boot: units a throw-away CI container never needs
 * (logins and consoles, utmp, moving the journal to disk, remounting "/", sysusers on a chroot whose
 * users exist, password agents, timers such as apt-daily that could lock dpkg under a job) and the
 * generators that only add such units. Its systemd reports READY (which prepare waits for) when the
 * default target is reached, so everything left out is boot time saved (bench/README.md, "What
 * moved the numbers").
 *
 * Kept on purpose: journald (logger, journalctl in jobs), dbus (systemd-run --machine talks to the
 * container's systemd through it), systemd-tmpfiles-setup (/run/lock, /run/user, /tmp/.X11-unix and
 * friends), systemd-user-sessions (removes the /run/nologin that tmpfiles creates, which
 * would refuse PAM logins of other users, e.g. through sshd) and the sysv generator
 * (init.d-only services a job installs still start).
 *
 * The masks are /dev/null symlinks in the job's upper dir: the chroot stays untouched (so does
 * 'chroot login'), and a job that needs one of these can 'systemctl unmask' it.
 */
final class JobBootProfile {
    static final List<String> MASKED_UNITS = List.of(
            "systemd-logind.service", "getty.target", "console-getty.service",
            "systemd-update-utmp.service", "systemd-update-utmp-runlevel.service", "systemd-journal-flush.service",
            "systemd-remount-fs.service", "systemd-sysusers.service", "systemd-tmpfiles-setup-dev.service",
            "systemd-pstore.service", "e2scrub_reap.service",
            // each .path unit is an inotify instance of the container's systemd, and closing each one
            // costs a few ms when the container is killed
            "systemd-ask-password-console.path", "systemd-ask-password-wall.path",
            "timers.target", "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer",
            "e2scrub_all.timer", "fstrim.timer", "systemd-tmpfiles-clean.timer");
    static final List<String> MASKED_GENERATORS = List.of(
            "systemd-cryptsetup-generator", "systemd-debug-generator", "systemd-fstab-generator",
            "systemd-getty-generator", "systemd-gpt-auto-generator", "systemd-hibernate-resume-generator",
            "systemd-integritysetup-generator", "systemd-rc-local-generator", "systemd-run-generator",
            "systemd-system-update-generator", "systemd-veritysetup-generator");
    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Set<PosixFilePermission> DEFAULT_DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private JobBootProfile() {
    }

    /** Writes the masks into UPPER, the still empty upper dir of the overlay over CHROOT_ROOT. */
    static void write(Path upperDir, Path chrootRoot) {
        mask(upperDir, chrootRoot, "etc/systemd/system", MASKED_UNITS);
        mask(upperDir, chrootRoot, "etc/systemd/system-generators", MASKED_GENERATORS);
    }

    /** Masks the units NAMES in UPPERDIR, whose directories get the modes of CHROOTROOT's. */
    static void maskUnits(Path upperDir, Path chrootRoot, List<String> names) {
        mask(upperDir, chrootRoot, "etc/systemd/system", names);
    }

    private static void mask(Path upperDir, Path chrootRoot, String relativeDir, List<String> names) {
        Path dir = createLikeChroot(upperDir, chrootRoot, relativeDir);
        for (String name : names) {
            Path link = dir.resolve(name);
            try {
                Files.createSymbolicLink(link, DEV_NULL);
            } catch (IOException e) {
                throw ExecutorException.system("cannot mask " + name + " in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates upper/RELATIVE_DIR and its parents, each with the mode of the chroot's dir of the same
     * name: a directory that exists in both layers shows the upper dir's mode in the container.
     */
    static Path createLikeChroot(Path upperDir, Path chrootRoot, String relativeDir) {
        Path upper = upperDir;
        Path lower = chrootRoot;
        for (Path part : Path.of(relativeDir)) {
            upper = upper.resolve(part.toString());
            lower = lower.resolve(part.toString());
            if (Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectory(upper);
                Files.setPosixFilePermissions(upper, Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)
                        ? Files.getPosixFilePermissions(lower, LinkOption.NOFOLLOW_LINKS)
                        : DEFAULT_DIR_MODE);
            } catch (IOException e) {
                throw ExecutorException.system("cannot create " + upper + ": " + e.getMessage(), e);
            }
        }
        return upper;
    }
}
