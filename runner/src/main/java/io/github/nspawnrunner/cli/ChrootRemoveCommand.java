package io.github.nspawnrunner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "remove", description = "Remove a chroot: at once for new jobs; its files when its running jobs end.")
final class ChrootRemoveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ChrootNameParameter chroot;

    @Override
    public Integer call() {
        var name = chroot.name();
        ChrootCommand.manager(options).remove(name);
        return 0;
    }
}
