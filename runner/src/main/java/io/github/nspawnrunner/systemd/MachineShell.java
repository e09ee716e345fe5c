package io.github.nspawnrunner.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command (or a login shell) in a running machine, as the job's stages run: through the
 * machine's own systemd (systemd-run --machine), which needs no logind there (lean boots mask
 * it) and leaves no process behind (the command is a transient unit, collected when it ends).
 */
public final class MachineShell {
    /** Where a booted job's stages and shells start. */
    public static final String ROOT_HOME = "/root";
    /** Root's environment in a job's container, for a stage (the stage target file's setenv lines) as for a shell. */
    public static final List<String> ROOT_ENVIRONMENT = List.of("HOME=" + ROOT_HOME, "USER=root", "LOGNAME=root", "LANG=C.UTF-8");
    /** A booted job's chroot's bash: its stages' and shells'. */
    public static final String BASH = "/bin/bash";

    /**
     * Runs COMMAND (bash, as a login shell, when empty) as root in MACHINE with our stdin, stdout and
     * stderr: with a terminal of its own when INTERACTIVE, else through pipes. Returns its exit status.
     */
    public int run(String machine, List<String> command, boolean interactive) {
        List<String> argv = new ArrayList<>(common(interactive));
        argv.addAll(List.of("--machine=" + machine, "--working-directory=" + ROOT_HOME, "--setenv=SHELL=" + BASH, "--"));
        argv.addAll(command.isEmpty() ? List.of(BASH, "-l") : command);
        return TerminalCommand.run(argv, "systemd");
    }

    /**
     * The same for a container without systemd (an image job's): a transient unit of the host's
     * systemd with ARGUMENTS (its properties, "--" and the command that enters the container).
     */
    public int runOnHost(List<String> arguments, boolean interactive) {
        List<String> argv = new ArrayList<>(common(interactive));
        argv.addAll(arguments);
        return TerminalCommand.run(argv, "systemd");
    }

    private static List<String> common(boolean interactive) {
        List<String> common = new ArrayList<>(List.of("systemd-run", "--quiet", "--wait", "--collect", "--service-type=exec",
                interactive ? "--pty" : "--pipe"));
        ROOT_ENVIRONMENT.forEach(variable -> common.add("--setenv=" + variable));
        common.add("--setenv=TERM=" + System.getenv().getOrDefault("TERM", "dumb"));
        return common;
    }
}
