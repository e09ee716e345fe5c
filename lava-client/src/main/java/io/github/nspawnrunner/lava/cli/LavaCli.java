package io.github.nspawnrunner.lava.cli;

import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.lava.AbortSignal;
import io.github.nspawnrunner.lava.LavaClient;
import io.github.nspawnrunner.lava.LavaExitCode;
import io.github.nspawnrunner.lava.LavaRuntime;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The LAVA client's command line, {@code lava submit|monitor-file}: the entry point of its own jar,
 * which job containers run, and {@code nspawn-runner lava}. Exit codes are {@link LavaExitCode}'s
 * (0 all Complete, 1 a job failed, 2 bad input or usage, 3 server, token or abort), not the executor's.
 */
@Command(name = "lava", description = "Submit and follow LAVA jobs (LAVA_URL, LAVA_TOKEN from the environment).",
        mixinStandardHelpOptions = true, versionProvider = LavaCli.Version.class,
        subcommands = {LavaCli.Submit.class, LavaCli.MonitorFile.class})
public final class LavaCli {
    private final Map<String, String> environment;
    private final LavaRuntime runtime;
    private final AbortSignal abort;

    /**
     * For picocli's model only (nspawn-runner's command tree, its completion and man pages), which
     * never runs it: building that model must not load the LAVA client on the executor's paths.
     */
    public LavaCli() {
        this(Map.of(), null, null);
    }

    /** Commands see ENVIRONMENT and run in RUNTIME; ABORT is how SIGTERM/SIGINT reach them (the process's hook, or a test). */
    public LavaCli(Map<String, String> environment, LavaRuntime runtime, AbortSignal abort) {
        this.environment = Map.copyOf(environment);
        this.runtime = runtime;
        this.abort = abort;
    }

    /**
     * {@code submit FILE}, {@code monitor-file FILE}; also {@code lava submit FILE}: the wrappers of
     * chroots built before this jar existed ran nspawn-runner's jar so, and prepare binds this one there.
     */
    public static void main(String[] args) {
        System.exit(process("lava", commandArgs(args)));
    }

    /** The jar's ARGS without the word lava that old wrappers put first. */
    static String[] commandArgs(String... args) {
        return matches(args) ? rest(args) : args;
    }

    /**
     * This process's command, named NAME in usage lines: its environment and standard streams, and
     * a shutdown hook that hands SIGTERM and SIGINT to the command.
     */
    public static int process(String name, String... args) {
        AbortSignal abort = new AbortSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exitAfterAbort(abort), "lava-abort"));
        return new LavaCli(System.getenv(), LavaRuntime.system(System.out, System.err), abort).run(name, args);
    }

    /** Whether ARGS are nspawn-runner's {@code lava ...}, which this class runs with its own exit codes. */
    public static boolean matches(String... args) {
        return args.length > 0 && args[0].equals("lava");
    }

    /** ARGS after the word lava. */
    public static String[] rest(String... args) {
        return Arrays.copyOfRange(args, 1, args.length);
    }

    /**
     * Parses and runs ARGS. A command returns its exit code or throws; {@link LavaFailures} prints
     * the one line and maps the failure to its exit code. The abort learns the code last, so a
     * shutdown hook waiting for it exits with exactly this one.
     */
    public int run(String name, String... args) {
        abort.attach();
        int code = new CommandLine(this)
                .setCommandName(name)
                .setOut(new PrintWriter(runtime.out(), true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(runtime.err(), true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(LavaCli::usageError)
                .setExitCodeExceptionMapper(new LavaFailures(abort))
                .setExecutionExceptionHandler(this::failed)
                .execute(args);
        runtime.out().flush();
        abort.finished(code);
        return code;
    }

    private LavaClient client(LavaOptions options) {
        return new LavaClient(environment, options.flags(), runtime.withVerbose(options.verbose), abort);
    }

    private int failed(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.asCommandLineList().stream().anyMatch(line -> line.getParseResult().hasMatchedOption("--verbose"));
        LavaFailures mapper = (LavaFailures) command.getExitCodeExceptionMapper();
        mapper.report(new Log(runtime.err(), verbose), failure);
        return mapper.getExitCode(failure);
    }

    /** One line, not the whole usage text: the command's --help has that. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("nspawn-runner: error: " + e.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        return LavaExitCode.BAD_INPUT.code();
    }

    /**
     * SIGTERM (gitlab-runner cancelling the job, or the executor stopping the stage) and SIGINT run
     * the shutdown hooks; so does the normal System.exit at the end. Either way the hook hands the
     * abort to the polling thread, which cancels the jobs and ends its command, and then the hook
     * owns the exit: it halts with the command's code, so the JVM never ends half-way through
     * the cancel and never with a code the command did not choose. After a normal end the
     * command's code is already there and the hook returns at once.
     */
    private static void exitAfterAbort(AbortSignal abort) {
        OptionalInt code;
        try {
            code = abort.abort();
        } catch (InterruptedException e) {
            code = OptionalInt.empty();
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code.orElse(LavaExitCode.INTERRUPTED.code()));
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a LAVA job definition (YAML), follow its log until it ends; exit 0 only if every job ended Complete.")
    static final class Submit implements Callable<Integer> {
        @ParentCommand
        LavaCli cli;

        @Mixin
        LavaOptions options;

        @Parameters(paramLabel = "FILE", description = "Job definition, relative to the current directory.")
        String file;

        @Override
        public Integer call() throws InterruptedException {
            return cli.client(options).submit(file).code();
        }
    }

    @Command(name = "monitor-file", mixinStandardHelpOptions = true,
            description = "Watch the LAVA jobs listed in FILE ({\"jobids\": [1, 2]}) until they end; exit 0 only if all ended Complete.")
    static final class MonitorFile implements Callable<Integer> {
        @ParentCommand
        LavaCli cli;

        @Mixin
        LavaOptions options;

        @Parameters(paramLabel = "FILE", description = "JSON file with the job ids, relative to the current directory.")
        String file;

        @Override
        public Integer call() throws InterruptedException {
            return cli.client(options).monitorFile(file).code();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LavaCli.class.getPackage().getImplementationVersion();
            return new String[] {"nspawn-runner lava " + (version == null ? "development" : version)};
        }
    }
}
