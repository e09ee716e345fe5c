package io.github.nspawnrunner.setup;

import io.github.nspawnrunner.host.Executables;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.stream.Stream;

/** Checks what a runner host needs: root, systemd as PID 1, nspawn, nft and ip, overlayfs, D-Bus, disk. */
public final class HostInspector {
    static final long MIN_FREE_BYTES = 2L << 30;

    private final Path proc;
    private final String searchPath;

    public HostInspector(Path proc, String searchPath) {
        this.proc = proc;
        this.searchPath = searchPath == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : searchPath;
    }

    public List<HostCheck> inspect(Path chrootsDir, Path stateDir) {
        List<HostCheck> checks = new ArrayList<>();
        checks.add(root());
        checks.add(systemdAsPid1());
        checks.add(tool("systemd-nspawn", "systemd-container", "runs the job containers"));
        checks.add(chrootBuilder());
        checks.add(tool("nft", "nftables", "the firewall of private job networks"));
        checks.add(tool("ip", "iproute2", "addresses private job networks"));
        checks.add(overlayfs());
        checks.add(machined());
        checks.add(disk("chroots dir", chrootsDir));
        checks.add(disk("state dir", stateDir));
        checks.add(notOnOverlay(stateDir));
        return checks;
    }

    private HostCheck root() {
        String uid = read("self/status").lines().filter(l -> l.startsWith("Uid:")).findFirst()
                .map(l -> l.split("\\s+")[1]).orElse("?");
        return "0".equals(uid) ? HostCheck.passed("running as root", "uid 0")
                : HostCheck.failed("running as root", "uid " + uid, "run nspawn-runner as root (gitlab-runner's service runs as root)");
    }

    private HostCheck systemdAsPid1() {
        String init = read("1/comm").trim();
        return "systemd".equals(init) ? HostCheck.passed("systemd is PID 1", "")
                : HostCheck.failed("systemd is PID 1", "PID 1 is '" + init + "', not systemd",
                "nspawn-runner starts job containers through systemd's D-Bus API (systemd1, machine1):"
                        + " run it on a host booted with systemd, not in a container or chroot without it");
    }

    /** Either builds chroots (rootfs-builder/debian-rootfs takes mmdebstrap when it is there). */
    private HostCheck chrootBuilder() {
        String what = "mmdebstrap or debootstrap installed";
        return Executables.find("mmdebstrap", searchPath).map(path -> HostCheck.passed(what, path.toString()))
                .or(() -> Executables.find("debootstrap", searchPath).map(path -> HostCheck.passed(what,
                        path + " (mmdebstrap builds chroots faster: apt-get install mmdebstrap)")))
                .orElseGet(() -> HostCheck.missingPackage(what, "neither is installed (they build chroots)", "mmdebstrap"));
    }

    private HostCheck tool(String command, String debianPackage, String purpose) {
        return Executables.find(command, searchPath)
                .map(path -> HostCheck.passed(command + " installed", path.toString()))
                .orElseGet(() -> HostCheck.missingPackage(command + " installed", "not found (" + purpose + ")", debianPackage));
    }

    private HostCheck overlayfs() {
        boolean available = read("filesystems").lines().anyMatch(l -> l.endsWith("\toverlay"))
                || Files.isDirectory(Path.of("/sys/module/overlay"));
        return available ? HostCheck.passed("overlayfs available", "")
                : HostCheck.failed("overlayfs available", "not in /proc/filesystems", "modprobe overlay (and add it to /etc/modules)");
    }

    private HostCheck machined() {
        boolean bus = Files.exists(Path.of("/run/dbus/system_bus_socket"));
        boolean machined = Stream.of("/usr/lib/systemd/systemd-machined", "/lib/systemd/systemd-machined")
                .anyMatch(path -> Files.isExecutable(Path.of(path)));
        if (!machined) {
            return HostCheck.missingPackage("D-Bus and machined", "systemd-machined not installed", "systemd-container");
        }
        if (bus) {
            return HostCheck.passed("D-Bus and machined", "");
        }
        return Files.isExecutable(Path.of("/usr/bin/dbus-daemon"))
                ? HostCheck.failed("D-Bus and machined", "the system bus is not running (no /run/dbus/system_bus_socket)",
                "systemctl enable --now dbus")
                : HostCheck.missingPackage("D-Bus and machined", "no system bus: dbus is not installed", "dbus");
    }

    private HostCheck disk(String what, Path dir) {
        try {
            long free = store(dir).getUsableSpace();
            String detail = (free >> 20) + " MiB free for " + dir;
            return free >= MIN_FREE_BYTES ? HostCheck.passed("free disk (" + what + ")", detail)
                    : HostCheck.failed("free disk (" + what + ")", detail, "free at least " + (MIN_FREE_BYTES >> 30)
                    + " GiB (a chroot takes about 0.5 GiB, each version while jobs use it)");
        } catch (IOException e) {
            return HostCheck.failed("free disk (" + what + ")", e.getMessage(), "check " + dir);
        }
    }

    private HostCheck notOnOverlay(Path stateDir) {
        try {
            String type = store(stateDir).type();
            return "overlay".equals(type)
                    ? HostCheck.failed("state dir not on overlayfs", stateDir + " is on overlayfs",
                    "put state_dir on a real file system: it holds overlay upper dirs")
                    : HostCheck.passed("state dir not on overlayfs", type);
        } catch (IOException e) {
            return HostCheck.failed("state dir not on overlayfs", e.getMessage(), "check " + stateDir);
        }
    }

    /** The file store of DIR, or of its nearest existing parent when it does not exist yet. */
    private static FileStore store(Path dir) throws IOException {
        Path existing = dir.toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        return Files.getFileStore(existing);
    }

    private String read(String file) {
        try {
            return Files.readString(proc.resolve(file));
        } catch (IOException e) {
            return "";
        }
    }

}
