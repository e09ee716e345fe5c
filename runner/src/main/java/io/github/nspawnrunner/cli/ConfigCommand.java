package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ConfigOutput;
import io.github.nspawnrunner.executor.JobResponseReader;
import io.github.nspawnrunner.machine.MachineName;
import io.github.nspawnrunner.machine.NspawnCommand;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(name = "config", description = "config_exec: print the JSON that tells gitlab-runner where builds and caches live.")
final class ConfigCommand extends GitlabRunnerCommand {
    static final String BUILDS_DIR = "/builds";

    @Override
    public int applyAsInt(Session s) {
        RunnerConfig config = s.config();
        Optional<Path> responseFile = s.environment().jobResponseFile();
        Optional<String> hostname = responseFile.isEmpty() ? Optional.empty()
                : Optional.of(MachineName.of(config.machinePrefix(), new JobResponseReader().read(responseFile.get())).value());
        s.out().println(new ConfigOutput(BUILDS_DIR, NspawnCommand.CONTAINER_CACHE_DIR, hostname, Cli.version()).toJson());
        return 0;
    }
}
