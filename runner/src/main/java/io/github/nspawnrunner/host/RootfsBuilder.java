package io.github.nspawnrunner.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the scripts of rootfs-builder/ (and cp) that make root filesystems. Their progress goes
 * straight to our stderr: building takes a minute and the admin wants to see it move.
 */
public final class RootfsBuilder {
    private final Installation installation;

    public RootfsBuilder(Installation installation) {
        this.installation = installation;
    }

    /**
     * A Debian/Ubuntu root filesystem at TARGET, with the LAVA commands `submit` and `monitor-file`,
     * built with BOOTSTRAPPER (default: mmdebstrap when installed, else debootstrap).
     */
    public void build(Path target, String suite, List<String> packages, Optional<String> mirror, Optional<Path> script,
            Optional<Bootstrapper> bootstrapper) {
        List<String> argv = new ArrayList<>(List.of(installation.rootfsBuilder("debian-rootfs").toString(),
                "--suite", suite, "--packages", String.join(",", packages), "--lava-commands"));
        bootstrapper.ifPresent(tool -> argv.addAll(List.of("--builder", tool.command())));
        mirror.ifPresent(url -> argv.addAll(List.of("--mirror", url)));
        script.ifPresent(file -> argv.addAll(List.of("--script", file.toString())));
        argv.add(target.toString());
        run(argv, "building " + target);
    }

    /** A full copy (hard links, owners, modes, xattrs kept); cheap where the file system can reflink. */
    public void copy(Path from, Path to) {
        run(List.of("cp", "-a", "--reflink=auto", "--", from.toString(), to.toString()), "copying " + from + " to " + to);
    }

    private static void run(List<String> argv, String what) {
        HostCommand.run(argv, Map.of(), what);
    }
}
