package io.github.nspawnrunner.chroot;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.Bootstrapper;
import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.host.RootfsBuilder;
import io.github.nspawnrunner.systemd.NspawnShell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds and maintains chroots without ever changing one that a job may be using: every change
 * (upgrade, persistent login) is made to a copy that becomes the chroot's new version at once,
 * while jobs on the old version finish on it; the old one goes with its last job.
 */
public final class ChrootManager {
    /** What the executor needs in every chroot: a shell, git for get_sources, a booting systemd, Java for LAVA. */
    public static final List<String> BASE_PACKAGES = List.of(
            "systemd", "systemd-sysv", "dbus", "bash", "git", "ca-certificates", "default-jre-headless");
    private static final String MAINTENANCE_SCRIPT_INSIDE = "/run/nspawn-runner-maintenance.sh";
    private static final List<String> APT_UPGRADE = List.of("/bin/sh", "-c",
            "if command -v apt-get >/dev/null; then apt-get update -q && apt-get -y -q -o Dpkg::Options::=--force-confold"
                    + " dist-upgrade && apt-get -q clean; else echo 'no apt-get: skipping the package upgrade' >&2; fi");

    private final ChrootLayout layout;
    private final ChrootUsage usage;
    private final RootfsBuilder builder;
    private final NspawnShell shell;
    private final Clock clock;
    private final Log log;

    public ChrootManager(ChrootLayout layout, ChrootUsage usage, RootfsBuilder builder, NspawnShell shell, Clock clock, Log log) {
        this.layout = layout;
        this.usage = usage;
        this.builder = builder;
        this.shell = shell;
        this.clock = clock;
        this.log = log;
    }

    public void create(ChrootName name, String distro, List<String> extraPackages, Optional<Path> script, Optional<String> mirror,
            Optional<Bootstrapper> bootstrapper) {
        if (Files.exists(layout.link(name), LinkOption.NOFOLLOW_LINKS)) {
            throw new ChrootException("chroot '" + name + "' already exists; change it with 'nspawn-runner chroot upgrade "
                    + name + "' or remove it first");
        }
        script.ifPresent(ChrootManager::requireReadable);
        LinkedHashSet<String> packages = new LinkedHashSet<>(BASE_PACKAGES);
        packages.addAll(extraPackages);
        Path version = layout.newVersion(name, now());
        createDirectories(version.getParent());
        builder.build(version, distro, List.copyOf(packages), mirror, script, bootstrapper);
        script.ifPresent(file -> copy(file, layout.maintenanceScript(name)));
        Instant created = clock.instant();
        new ChrootMetadata(distro, mirror, List.copyOf(packages), created, created).write(layout.metadata(name));
        new ChrootLinks(layout, usage).publish(name, version);
        log.info("chroot '" + name + "' (" + distro + ") is ready at " + layout.link(name));
    }

    /** apt upgrade and the maintenance script, in a new version; jobs switch to it as they start. */
    public void upgrade(ChrootName name, Optional<Path> newScript) {
        require(name);
        newScript.ifPresent(ChrootManager::requireReadable);
        newScript.ifPresent(file -> copy(file, layout.maintenanceScript(name)));
        Path maintenance = layout.maintenanceScript(name);
        changeInNewVersion(name, "upgrade", version -> {
            requireSuccess(shell.run(version, false, Map.of(), APT_UPGRADE), "the package upgrade");
            if (Files.isRegularFile(maintenance)) {
                requireSuccess(shell.run(version, false, Map.of(maintenance, MAINTENANCE_SCRIPT_INSIDE),
                        List.of("/bin/bash", MAINTENANCE_SCRIPT_INSIDE)), "the maintenance script");
            }
        });
    }

    /**
     * A shell (or COMMAND) in the chroot. Throw-away by default; with PERSISTENT the session works
     * on a new version, which replaces the current one when the session ends successfully.
     */
    public int login(ChrootName name, boolean persistent, List<String> command) {
        Path current = require(name);
        if (!persistent) {
            return shell.run(current, true, Map.of(), command);
        }
        changeInNewVersion(name, "persistent login", version -> {
            int status = shell.run(version, false, Map.of(), command);
            if (status != 0) {
                throw new ChrootException("the session ended with status " + status + ": chroot '" + name
                        + "' left unchanged");
            }
        });
        return 0;
    }

    public void remove(ChrootName name) {
        require(name);
        new ChrootLinks(layout, usage).unpublish(name);
        collect();
        int jobs = jobsUsing(name);
        log.info(jobs == 0 ? "removed chroot '" + name + "'"
                : "removed chroot '" + name + "' for new jobs; its files go when the " + jobs + " job(s) on it end");
    }

    public List<ChrootInfo> list() {
        List<ChrootInfo> chroots = new ArrayList<>();
        for (Path entry : FileTrees.entries(layout.directory())) {
            ChrootName.parse(entry.getFileName().toString())
                    .filter(name -> Files.isDirectory(entry))
                    .ifPresent(name -> chroots.add(info(name, entry)));
        }
        return chroots;
    }

    private ChrootInfo info(ChrootName name, Path entry) {
        Optional<ChrootMetadata> metadata = ChrootMetadata.read(layout.metadata(name));
        Path root = resolve(entry);
        String distro = metadata.map(ChrootMetadata::distro).orElseGet(() -> OsRelease.prettyName(root));
        Optional<String> image = metadata.flatMap(ChrootMetadata::image)
                .filter(pulled -> Files.isSymbolicLink(entry) && pulled.version().equals(root.getFileName().toString()))
                .map(pulled -> pulled.reference() + "@" + pulled.digest());
        return new ChrootInfo(name, distro, FileTrees.diskUsage(root), metadata.map(ChrootMetadata::created),
                metadata.map(ChrootMetadata::updated), jobsUsing(name), image);
    }

    private int jobsUsing(ChrootName name) {
        Path plain = layout.link(name);
        return usage.jobsPerDirectory().entrySet().stream()
                .filter(e -> e.getKey().startsWith(layout.versionsDir(name)) || e.getKey().equals(plain))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    /** What makes or changes a new version, at the path given. */
    public interface Change {
        void apply(Path version);
    }

    private void changeInNewVersion(ChrootName name, String what, Change change) {
        Path current = require(name);
        newVersion(name, building -> {
            log.info(what + " of chroot '" + name + "': copying " + current + " to a new version");
            builder.copy(current, building);
            change.apply(building);
        });
    }

    /**
     * Installs a root filesystem that FILL makes (at the path it is given, which does not exist
     * yet: an image pulled from a registry) as a new version of chroot NAME, made if need be, and
     * switches NAME to it atomically, as an upgrade does: running jobs keep their version. The
     * version is recorded as the image REFERENCE's manifest DIGEST, for `chroot follow`.
     */
    public PulledImage install(ChrootName name, String reference, String digest, Change fill) {
        requireManagedOrAbsent(name);
        Path version = newVersion(name, fill, made -> Optional.of(new PulledImage(made, reference, digest)));
        return new PulledImage(version.getFileName().toString(), reference, digest);
    }

    /**
     * The version chroot NAME is at (empty when there is no such chroot) and the image that
     * version was pulled from, if it was: what `chroot follow` compares with the registry.
     */
    public FollowDecision.Installed installed(ChrootName name) {
        requireManagedOrAbsent(name);
        Optional<String> current = new ChrootCollector(layout, usage).currentVersion(name)
                .map(version -> version.getFileName().toString());
        Optional<PulledImage> pulled = current.isEmpty() ? Optional.empty()
                : ChrootMetadata.read(layout.metadata(name)).flatMap(ChrootMetadata::image);
        return new FollowDecision.Installed(current, pulled);
    }

    private void requireManagedOrAbsent(ChrootName name) {
        if (Files.isDirectory(layout.link(name), LinkOption.NOFOLLOW_LINKS)) {
            throw new ChrootException("chroot '" + name + "' is a plain directory: upgrade it once with 'nspawn-runner chroot upgrade "
                    + name + "' to make it a managed one first");
        }
    }

    private Path newVersion(ChrootName name, Change make) {
        return newVersion(name, make, made -> Optional.empty());
    }

    /** Makes and publishes a new version; ORIGIN says, from the version's name, which image it is, if any. */
    private Path newVersion(ChrootName name, Change make, Function<String, Optional<PulledImage>> origin) {
        Path version = layout.newVersion(name, now());
        Path building = version.resolveSibling(version.getFileName() + ".building." + ProcessHandle.current().pid());
        createDirectories(version.getParent());
        try {
            make.apply(building);
            Files.move(building, version, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            discard(building);
            throw new UncheckedIOException("cannot finish the new version of '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(building);
            throw e;
        }
        new ChrootLinks(layout, usage).publish(name, version);
        ChrootMetadata.read(layout.metadata(name))
                .orElseGet(() -> new ChrootMetadata(OsRelease.prettyName(version), Optional.empty(), List.of(), clock.instant(), clock.instant()))
                .upgraded(clock.instant(), origin.apply(version.getFileName().toString()))
                .write(layout.metadata(name));
        int jobs = jobsUsing(name);
        log.info("chroot '" + name + "' now at " + version.getFileName() + " for new jobs"
                + (jobs == 0 ? "" : "; " + jobs + " running job(s) finish on the previous version"));
        collect();
        return version;
    }

    private void collect() {
        new ChrootCollector(layout, usage).collect()
                .forEach(old -> log.info("removed unused chroot version " + old));
    }

    private Path require(ChrootName name) {
        return new ChrootStore(layout.directory()).require(name).directory();
    }

    private static Path resolve(Path entry) {
        try {
            return entry.toRealPath();
        } catch (IOException e) {
            return entry;
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock);
    }

    private static void requireSuccess(int status, String what) {
        if (status != 0) {
            throw new ChrootException(what + " failed with status " + status + " (see above); the chroot is unchanged");
        }
    }

    private static void requireReadable(Path script) {
        if (!Files.isRegularFile(script) || !Files.isReadable(script)) {
            throw new ChrootException("script " + script + " is not a readable file");
        }
    }

    private static void copy(Path from, Path to) {
        try {
            createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private void discard(Path building) {
        try {
            FileTrees.remove(building);
        } catch (IOException e) {
            log.info("could not remove the unfinished " + building + ": " + e.getMessage());
        }
    }
}
