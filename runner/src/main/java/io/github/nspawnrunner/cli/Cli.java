package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.lava.AbortSignal;
import io.github.nspawnrunner.lava.LavaRuntime;
import io.github.nspawnrunner.lava.cli.LavaCli;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli command tree. */
@Command(name = "nspawn-runner", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Cli.Version.class,
        description = "GitLab Runner custom executor running each job in a throw-away systemd-nspawn container.",
        subcommands = {ConfigCommand.class, PrepareCommand.class, RunCommand.class, CleanupCommand.class,
                SetupCommand.class, ChrootCommand.class, JobsCommand.class, ProfilesCommand.class, ServiceCommand.class,
                LavaCli.class, ImageCommand.class})
public final class Cli {
    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    /** Every command's output goes to OUT and ERR, and it sees ENVIRONMENT: tests run the CLI in-process. */
    public Cli(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** This process's environment and standard streams (picocli's tools, which build completion and man pages, make it so too). */
    public Cli() {
        this(System.getenv(), System.out, System.err);
    }

    public static int execute(String[] args) {
        return new Cli().run(args);
    }

    /**
     * Parses and runs ARGS. A command returns its exit code, or throws: the failure handler then
     * prints one line and {@link Failures} maps it to the exit code, here and nowhere else.
     */
    public int run(String... args) {
        if (LavaCli.matches(args)) {
            // the LAVA client's own command line and exit codes; in-process, with no signals to hand on
            return new LavaCli(environment, LavaRuntime.system(out, err), new AbortSignal()).run("nspawn-runner lava", LavaCli.rest(args));
        }
        // picocli answers usage errors with 2, which gitlab-runner takes as a system failure: right
        // for a misconfigured runner
        return new CommandLine(this)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(Cli::usageError)
                .setExitCodeExceptionMapper(new Failures())
                .setExecutionExceptionHandler(this::failed)
                .execute(args);
    }

    /** The session of a command run by this CLI, with CONFIGFILE and VERBOSE from its options. */
    Session session(Path configFile, boolean verbose) {
        return Session.create(environment, out, err, configFile, verbose);
    }

    private int failed(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.asCommandLineList().stream()
                .anyMatch(line -> line.getParseResult().hasMatchedOption("--verbose"));
        Failures.report(new Log(err, verbose), failure);
        return command.getExitCodeExceptionMapper().getExitCode(failure);
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
