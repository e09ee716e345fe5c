package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ConfigOutput;
import io.github.nspawnrunner.executor.JobResponseReader;
import io.github.nspawnrunner.machine.MachineName;
import io.github.nspawnrunner.machine.NspawnCommand;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = "config_exec: print the JSON that tells gitlab-runner where builds and caches live.")
final class ConfigCommand implements Callable<Integer> {
    static final String BUILDS_DIR = "/builds";

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        return options.session().guard(session -> {
            RunnerConfig config = session.config();
            Optional<String> hostname = session.environment().jobResponseFile()
                    .map(file -> MachineName.of(config.machinePrefix(), new JobResponseReader().read(file)).value());
            System.out.println(new ConfigOutput(BUILDS_DIR, NspawnCommand.CONTAINER_CACHE_DIR, hostname, Cli.version()).toJson());
            return 0;
        });
    }
}
