package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A local user's view of secrets: a process of `nobody` on the host that reads every process's
 * /proc/PID/cmdline in a loop, and prints the command lines that contain SECRET. Its own command
 * line holds a regular expression that matches SECRET without containing it.
 */
public final class CommandLineScan {
    /** In a command line that shows the secret on purpose, to prove that the scan sees root's processes. */
    private static final String CONTROL = "scan-control";
    private static final String STOP_FILE = "/run/nsr-scan-stop";

    private final Host host;
    private final String secret;
    private final RunnerProcess scanner;
    /** Alive until the scan stops: dying during a sweep, its command line would read empty, an unattributable match. */
    private final RunnerProcess control;

    private CommandLineScan(Host host, String secret, RunnerProcess scanner, RunnerProcess control) {
        this.host = host;
        this.secret = secret;
        this.scanner = scanner;
        this.control = control;
    }

    /** Starts the scan and returns once it has seen a root process that shows SECRET on purpose. */
    public static CommandLineScan start(Host host, String secret) {
        host.shell("rm -f " + STOP_FILE);
        String loop = "sweeps=0; while [ ! -e " + STOP_FILE + " ]; do"
                + " for f in $(grep -laE -e \"$1\" /proc/[0-9]*/cmdline 2>/dev/null); do"
                + "   line=$(tr '\\0' ' ' < \"$f\" 2>/dev/null) && echo \"seen ${f#/proc/}: $line\"; done;"
                + " sweeps=$((sweeps + 1)); done; echo \"sweeps $sweeps\"";
        RunnerProcess scanner = host.start(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--", "/bin/bash", "-c", loop, "scan", hidden(secret)), Map.of("PATH", "/usr/bin:/bin"), "/");
        RunnerProcess control = host.start(List.of("/bin/bash", "-c", "sleep 600; :", CONTROL, secret), Map.of(), "/");
        scanner.awaitOutput(CONTROL, Duration.ofSeconds(10));
        return new CommandLineScan(host, secret, scanner, control);
    }

    /** SECRET (letters, digits, dashes) as an extended regular expression that matches it and does not contain it. */
    public static String hidden(String secret) {
        if (!secret.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("a test secret is letters, digits and dashes: " + secret);
        }
        return "[" + secret.charAt(0) + "]" + secret.substring(1);
    }

    /** Stops the scan; fails unless it swept at least MINIMUMSWEEPS times and never saw SECRET outside its control. */
    public int stopAndAssertNeverSeen(int minimumSweeps) {
        host.shell("touch " + STOP_FILE);
        ExecResult result = scanner.await(Duration.ofSeconds(30));
        control.signalGroup(9);
        host.shell("rm -f " + STOP_FILE);
        List<String> lines = result.stdout().lines().toList();
        List<String> leaks = lines.stream().filter(line -> line.startsWith("seen ") && !line.contains(CONTROL))
                .map(line -> line.substring(line.indexOf(": ") + 2))
                .map(line -> line.isBlank() ? "(a process that ended before its command line was read)" : line).distinct().toList();
        assertEquals(List.of(), leaks, "a user saw " + secret + " in these command lines");
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        int sweeps = last.startsWith("sweeps ") ? Integer.parseInt(last.substring(7).trim()) : 0;
        if (sweeps < minimumSweeps) {
            throw new AssertionError("the scan swept /proc only " + sweeps + " times: " + result);
        }
        return sweeps;
    }
}
