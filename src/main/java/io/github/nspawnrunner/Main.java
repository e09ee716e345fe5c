package io.github.nspawnrunner;

import io.github.nspawnrunner.cli.Cli;
import io.github.nspawnrunner.cli.GitlabRunnerCall;

/** Entry point of the one CLI that serves as all four of gitlab-runner's custom executables. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = GitlabRunnerCall.matches(args) ? GitlabRunnerCall.execute(args) : Cli.execute(args);
        System.exit(exitCode);
    }
}
