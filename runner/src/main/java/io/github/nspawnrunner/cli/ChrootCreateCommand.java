package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.host.Bootstrapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "create", description = "Build a new chroot with mmdebstrap, or debootstrap where mmdebstrap is not installed"
        + " (about a minute).")
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

    @Option(names = "--builder", paramLabel = "mmdebstrap|debootstrap", converter = BuilderNames.class,
            completionCandidates = BuilderNames.class,
            description = "The tool that installs the tree (default: mmdebstrap when installed, else debootstrap).")
    Bootstrapper builder;

    @Override
    public Integer call() {
        var name = chroot.name();
        ChrootCommand.manager(options).create(name, distro, packages, Optional.ofNullable(script), Optional.ofNullable(mirror),
                Optional.ofNullable(builder));
        return 0;
    }

    /** The values of --builder as they are typed: the tools' own names. */
    static final class BuilderNames implements Iterable<String>, ITypeConverter<Bootstrapper> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Bootstrapper.values()).map(Bootstrapper::command).iterator();
        }

        @Override
        public Bootstrapper convert(String value) {
            return Arrays.stream(Bootstrapper.values()).filter(tool -> tool.command().equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is neither mmdebstrap nor debootstrap"));
        }
    }
}
