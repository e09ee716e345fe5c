package io.github.nspawnrunner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups its subcommands (chroot, image, service): called alone, it is a usage
 * error naming them, read from the command tree so the list cannot fall behind the subcommands.
 */
@Command // so that picocli takes the spec field; each subclass names itself
abstract class GroupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: " + String.join(", ", spec.subcommands().keySet()));
    }
}
