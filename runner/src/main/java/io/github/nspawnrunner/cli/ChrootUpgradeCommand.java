package io.github.nspawnrunner.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "upgrade", description = {"apt upgrade and the maintenance script, in a new version of the chroot.",
        "New jobs get the new version at once; running jobs finish on the old one, removed after them."})
final class ChrootUpgradeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ChrootNameParameter chroot;

    @Option(names = "--script", paramLabel = "FILE", description = "A new maintenance script (kept for later upgrades).")
    Path script;

    @Override
    public Integer call() {
        var name = chroot.name();
        ChrootCommand.manager(options).upgrade(name, Optional.ofNullable(script));
        return 0;
    }
}
