package io.github.nspawnrunner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "login", description = {"A shell (or COMMAND) in a chroot. Throw-away by default: nothing you change stays.",
        "With --persistent, changes become the chroot's new version when the session ends with status 0;"
                + " running jobs keep the version they started on."})
final class ChrootLoginCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--persistent", description = "Keep the changes (in a new version of the chroot).")
    boolean persistent;

    @Mixin
    ChrootNameParameter chroot;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Run this instead of a shell.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        var name = chroot.name();
        return ChrootCommand.manager(options).login(name, persistent, command);
    }
}
