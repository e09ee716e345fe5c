package io.github.nspawnrunner.service;

import io.github.nspawnrunner.systemd.SystemBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Installs or removes {@link ServiceFiles}, then has systemd and dbus-daemon read them again. */
public final class ServiceInstaller {
    /** The service finishes its calls in flight first: a prepare may wait for its container to boot. */
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(15);

    private final ServiceFiles files;
    private final SystemBus bus;

    public ServiceInstaller(ServiceFiles files, SystemBus bus) {
        this.files = files;
        this.bus = bus;
    }

    public void install() {
        for (ServiceFiles.File file : files.files()) {
            write(file);
        }
        enable(files.enableLink());
        reload();
        // a service still running from before keeps its old launcher until it exits: stop it now
        bus.units().stopAndWait(ServiceFiles.UNIT, STOP_TIMEOUT);
    }

    public void remove() {
        bus.units().stopAndWait(ServiceFiles.UNIT, STOP_TIMEOUT);
        for (ServiceFiles.File file : concat(files.enableLink(), files.files())) {
            try {
                Files.deleteIfExists(file.path());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file.path() + ": " + e.getMessage(), e);
            }
        }
        reload();
    }

    private static java.util.List<ServiceFiles.File> concat(ServiceFiles.File first, java.util.List<ServiceFiles.File> rest) {
        java.util.List<ServiceFiles.File> all = new java.util.ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    /** What systemctl enable does for a unit wanted by one target: a link in the target's .wants dir. */
    private static void enable(ServiceFiles.File link) {
        try {
            Files.createDirectories(link.path().getParent());
            Files.deleteIfExists(link.path());
            Files.createSymbolicLink(link.path(), Path.of(link.content()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot enable " + ServiceFiles.UNIT + " at boot (" + link.path() + "): "
                    + e.getMessage(), e);
        }
    }

    private void reload() {
        bus.units().reloadUnitFiles();
        bus.reloadBusConfig();
    }

    private static void write(ServiceFiles.File file) {
        Path path = file.path();
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling("." + path.getFileName() + ".new");
            Files.writeString(temporary, file.content());
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
