package io.github.nspawnrunner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "jobs", description = "Maintain the jobs' state on this host.", subcommands = {JobsGcCommand.class})
final class JobsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: gc");
    }
}
