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
        return switch (args[0]) {
            case "config" -> ConfigCommand.execute(session);
            case "prepare" -> PrepareCommand.execute(session);
            case "cleanup" -> CleanupCommand.execute(session);
            default -> RunCommand.run(session, args[2]);
        };
    }
}
