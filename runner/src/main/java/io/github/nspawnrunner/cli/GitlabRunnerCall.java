package io.github.nspawnrunner.cli;

/**
 * The four calls exactly as gitlab-runner makes them (config, prepare, run SCRIPT STAGE, cleanup,
 * no options), run without picocli: a job starts about eleven JVMs, and parsing nothing costs
 * less than initialising a command line parser eleven times. Anything else goes through picocli.
 */
public final class GitlabRunnerCall {
    private GitlabRunnerCall() {
    }

    public static boolean matches(String[] args) {
        if (args.length == 1) {
            return switch (args[0]) {
                case "config", "prepare", "cleanup" -> true;
                default -> false;
            };
        }
        return args.length == 3 && "run".equals(args[0]) && !args[1].startsWith("-") && !args[2].startsWith("-");
    }

    public static int execute(String[] args) {
        Session session = Session.create(null, false);
        return "run".equals(args[0]) ? RunCommand.run(session, java.nio.file.Path.of(args[1]), args[2]) : execute(args[0], session);
    }

    /** config, prepare or cleanup in SESSION: a process of its own, or a call to the executor service. */
    static int execute(String verb, Session session) {
        GitlabRunnerCommand command = switch (verb) {
            case "config" -> new ConfigCommand();
            case "prepare" -> new PrepareCommand();
            case "cleanup" -> new CleanupCommand();
            default -> throw new IllegalArgumentException("not a gitlab-runner call: " + verb);
        };
        return session.guard(command);
    }
}
