package io.github.nspawnrunner.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (default: $NSPAWN_RUNNER_CONFIG, else /etc/nspawn-runner/nspawn-runner.toml if it exists).")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The session of the command with these options, from the CLI that runs it. */
    Session session() {
        return ((Cli) command.root().userObject()).session(configFile, verbose);
    }
}
