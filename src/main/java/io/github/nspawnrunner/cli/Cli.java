package io.github.nspawnrunner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli command tree. */
@Command(name = "nspawn-runner", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Cli.Version.class,
        description = "GitLab Runner custom executor running each job in a throw-away systemd-nspawn container.",
        subcommands = {ConfigCommand.class, PrepareCommand.class, RunCommand.class, CleanupCommand.class,
                SetupCommand.class, ChrootCommand.class, JobsCommand.class, ProfilesCommand.class, ServiceCommand.class,
                LavaCommand.class})
public final class Cli {
    public static int execute(String[] args) {
        // picocli answers usage errors with 2, which gitlab-runner takes as a system failure: right
        // for a misconfigured runner
        return new CommandLine(new Cli())
                .setParameterExceptionHandler(Cli::usageError)
                .execute(args);
    }

    /** One line, not the whole usage text: the command's --help has that. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("nspawn-runner: error: " + e.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nspawn-runner " + version()};
        }
    }
}
