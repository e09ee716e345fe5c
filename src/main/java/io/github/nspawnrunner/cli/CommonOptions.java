package io.github.nspawnrunner.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (default: $NSPAWN_RUNNER_CONFIG, else /etc/nspawn-runner/nspawn-runner.toml if it exists).")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of failures.")
    boolean verbose;

    Session session() {
        return Session.create(configFile, verbose);
    }
}
