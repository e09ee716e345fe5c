package io.github.nspawnrunner;

import io.github.nspawnrunner.cli.Cli;
import io.github.nspawnrunner.cli.GitlabRunnerCall;
import io.github.nspawnrunner.lava.cli.LavaCli;

/** Entry point of the one CLI that serves as all four of gitlab-runner's custom executables. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int exitCode;
        if (GitlabRunnerCall.matches(args)) {
            exitCode = GitlabRunnerCall.execute(args);
        } else if (LavaCli.matches(args)) {
            // the LAVA client as in its own jar: its exit codes, and a hook that cancels its jobs on SIGTERM
            exitCode = LavaCli.process("nspawn-runner lava", LavaCli.rest(args));
        } else {
            exitCode = Cli.execute(args);
        }
        System.exit(exitCode);
    }
}
