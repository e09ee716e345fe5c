package io.github.nspawnrunner.chroot;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where chroots live. A managed chroot N is a symbolic link {@code <dir>/N} to one of its
 * versions, {@code <dir>/.versions/N/<version>}: an upgrade builds a new version and swaps the
 * link, so a running job's overlay never sees its lower directory change. A plain directory
 * {@code <dir>/N} (made by hand) works too, unversioned. Job variables can never name the
 * hidden entries: chroot names cannot start with a dot.
 */
public record ChrootLayout(Path directory) {
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("'v'yyyyMMdd-HHmmss-SSS");

    /**
     * The layout of DIR with symbolic links in DIR's own path resolved: job records hold real
     * paths, and comparing them with anything else could make a version in use look unused.
     */
    public static ChrootLayout canonical(Path dir) {
        try {
            return new ChrootLayout(dir.toRealPath());
        } catch (java.io.IOException e) {
            return new ChrootLayout(dir.toAbsolutePath().normalize());
        }
    }

    public Path link(ChrootName name) {
        return directory.resolve(name.value());
    }

    public Path versionsRoot() {
        return directory.resolve(".versions");
    }

    public Path versionsDir(ChrootName name) {
        return versionsRoot().resolve(name.value());
    }

    public Path newVersion(ChrootName name, LocalDateTime now) {
        return versionsDir(name).resolve(VERSION.format(now));
    }

    public Path metadata(ChrootName name) {
        return versionsDir(name).resolve("chroot.properties");
    }

    /** The admin's maintenance script, kept so that every upgrade runs it again. */
    public Path maintenanceScript(ChrootName name) {
        return versionsDir(name).resolve("maintenance.sh");
    }

    /** Superseded versions are moved here under the lock, then deleted without holding it. */
    public Path trash() {
        return directory.resolve(".trash");
    }

    public Path lockFile() {
        return directory.resolve(".lock");
    }

    /** Whether DIR is a version directory (not metadata or a half-built tree). */
    static boolean isVersion(Path dir) {
        String name = dir.getFileName().toString();
        return name.startsWith("v") && !name.contains(".building.");
    }
}
