package io.github.nspawnrunner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", description = "Build a new chroot with debootstrap (about a minute).")
final class ChrootCreateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ChrootNameParameter chroot;

    @Option(names = "--distro", defaultValue = "bookworm", description = "Debian or Ubuntu suite (default: ${DEFAULT-VALUE}).")
    String distro;

    @Option(names = "--packages", split = ",", paramLabel = "PKG,...", description = "Extra packages to install.")
    List<String> packages = new ArrayList<>();

    @Option(names = "--script", paramLabel = "FILE", description = "Maintenance script run inside now and on every upgrade.")
    Path script;

    @Option(names = "--mirror", paramLabel = "URL", description = "Debian mirror (default: deb.debian.org).")
    String mirror;

    @Override
    public Integer call() {
        var name = chroot.name();
        ChrootCommand.manager(options).create(name, distro, packages, Optional.ofNullable(script), Optional.ofNullable(mirror));
        return 0;
    }
}
