package io.github.nspawnrunner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "remove", description = "Remove a chroot: at once for new jobs; its files when its running jobs end.")
final class ChrootRemoveCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        var chroot = ChrootCommand.name(spec, name);
        return options.session().guardAdmin(session -> {
            ChrootCommand.manager(session).remove(chroot);
            return 0;
        });
    }
}
