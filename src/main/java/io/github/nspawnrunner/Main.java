package io.github.nspawnrunner;

import io.github.nspawnrunner.cli.Cli;
import io.github.nspawnrunner.cli.RunCommand;

/** Entry point of the one CLI that serves as all four of gitlab-runner's custom executables. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // gitlab-runner calls "run <script> <stage>" about nine times per job: that exact form skips
        // picocli's start-up cost; everything else (options, help) goes through picocli.
        int exitCode = RunCommand.isPlainStageCall(args)
                ? RunCommand.runPlain(args[1], args[2])
                : Cli.execute(args);
        System.exit(exitCode);
    }
}
