package io.github.nspawnrunner.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upgrade", description = {"apt upgrade and the maintenance script, in a new version of the chroot.",
        "New jobs get the new version at once; running jobs finish on the old one, removed after them."})
final class ChrootUpgradeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--script", paramLabel = "FILE", description = "A new maintenance script (kept for later upgrades).")
    Path script;

    @Override
    public Integer call() {
        var chroot = ChrootCommand.name(spec, name);
        return options.session().guardAdmin(session -> {
            ChrootCommand.manager(session).upgrade(chroot, Optional.ofNullable(script));
            return 0;
        });
    }
}
