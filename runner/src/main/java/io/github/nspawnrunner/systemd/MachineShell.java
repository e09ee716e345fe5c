package io.github.nspawnrunner.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command (or a login shell) in a running machine, as the job's stages run: through the
 * machine's own systemd (systemd-run --machine), which needs no logind there (lean boots mask
 * it) and leaves no process behind (the command is a transient unit, collected when it ends).
 */
public final class MachineShell {
    /**
     * Runs COMMAND (bash, as a login shell, when empty) as root in MACHINE with our stdin, stdout and
     * stderr: with a terminal of its own when INTERACTIVE, else through pipes. Returns its exit status.
     */
    public int run(String machine, List<String> command, boolean interactive) {
        List<String> argv = new ArrayList<>(common(interactive));
        argv.addAll(List.of("--machine=" + machine, "--working-directory=/root", "--setenv=SHELL=/bin/bash", "--"));
        argv.addAll(command.isEmpty() ? List.of("/bin/bash", "-l") : command);
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
        return List.of("systemd-run", "--quiet", "--wait", "--collect", "--service-type=exec", interactive ? "--pty" : "--pipe",
                "--setenv=HOME=/root", "--setenv=USER=root", "--setenv=LOGNAME=root", "--setenv=LANG=C.UTF-8",
                "--setenv=TERM=" + System.getenv().getOrDefault("TERM", "dumb"));
    }
}
