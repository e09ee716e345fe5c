package io.github.nspawnrunner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code nspawn-runner lava ...}: the LAVA client for job scripts. Exit codes are the lava
 * package's (0 all Complete, 1 a job failed, 2 bad input, 3 server or token), not the executor's.
 */
@Command(name = "lava", description = "Submit and follow LAVA jobs (LAVA_URL, LAVA_TOKEN from the environment).",
        mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        subcommands = {LavaCommand.Submit.class, LavaCommand.MonitorFile.class})
final class LavaCommand {
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a LAVA job definition (YAML), follow its log until it ends; exit 0 only if every job ended Complete.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        LavaOptions options;

        @Parameters(paramLabel = "FILE", description = "Job definition, relative to the current directory.")
        String file;

        @Override
        public Integer call() {
            return LavaLaunch.client(options).submit(file);
        }
    }

    @Command(name = "monitor-file", mixinStandardHelpOptions = true,
            description = "Watch the LAVA jobs listed in FILE ({\"jobids\": [1, 2]}) until they end; exit 0 only if all ended Complete.")
    static final class MonitorFile implements Callable<Integer> {
        @Mixin
        LavaOptions options;

        @Parameters(paramLabel = "FILE", description = "JSON file with the job ids, relative to the current directory.")
        String file;

        @Override
        public Integer call() {
            return LavaLaunch.client(options).monitorFile(file);
        }
    }
}
