package io.github.nspawnrunner.systemd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command (or an interactive shell) in a root filesystem with a plain, unregistered
 * systemd-nspawn: for maintaining chroots, where no machine, unit or boot is needed.
 */
public final class NspawnShell {
    /**
     * Runs COMMAND (a login shell when empty) in ROOT with our terminal. With THROWAWAY the root is
     * read-only under a tmpfs overlay that vanishes at exit; otherwise changes land in ROOT.
     * BINDS maps host files to read-only paths inside. Returns the command's exit status.
     */
    public int run(Path root, boolean throwaway, Map<Path, String> binds, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "--quiet", "--register=no",
                "--directory=" + root, "--setenv=DEBIAN_FRONTEND=noninteractive"));
        if (throwaway) {
            argv.add("--volatile=overlay");
        }
        binds.forEach((host, inside) -> argv.add("--bind-ro=" + host + ":" + inside));
        if (!command.isEmpty()) {
            argv.add("--");
            argv.addAll(command);
        }
        return TerminalCommand.run(argv, "systemd-container");
    }
}
