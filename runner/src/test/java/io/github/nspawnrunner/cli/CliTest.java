package io.github.nspawnrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI run in-process, as a user runs it: parse, run, stdout, stderr and the exit code. */
class CliTest {
    @TempDir
    Path dir;

    /** What one run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Cli(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command's name path below nspawn-runner, e.g. ["chroot", "create"]. */
    private static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(new CommandLine(new Cli(Map.of(), System.out, System.err)), List.of(), all);
        return all;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> all) {
        all.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, all);
        });
    }

    private Path config(String toml) throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void everyCommandAnswersHelpOnStdoutWithExit0() {
        List<List<String>> commands = commands();
        assertTrue(commands.size() > 20, commands.toString());
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertEquals(0, help.exitCode(), command + ": " + help);
            assertTrue(help.out().startsWith("Usage: nspawn-runner" + (command.isEmpty() ? "" : " " + String.join(" ", command))),
                    command + ": " + help);
            assertEquals("", help.err(), command + ": " + help);
        }
    }

    @Test
    void everyCommandAnswersAnUnknownOptionWithOneLineAndExit2() {
        for (List<String> command : commands()) {
            List<String> args = new ArrayList<>(command);
            args.add("--no-such-option");
            Run wrong = run(args.toArray(String[]::new));
            assertEquals(2, wrong.exitCode(), command + ": " + wrong);
            assertEquals(1, wrong.errLines().size(), command + ": " + wrong);
            // picocli names missing parameters first, where a command has required ones (run SCRIPT STAGE)
            assertTrue(wrong.err().startsWith("nspawn-runner: error: ") && wrong.err().contains("--help")
                    && (wrong.err().contains("--no-such-option") || wrong.err().contains("Missing required parameter")),
                    command + ": " + wrong);
            assertEquals("", wrong.out(), command + ": " + wrong);
        }
    }

    @Test
    void aMissingParameterOrSubcommandIsAUsageError() {
        Run shell = run("jobs", "shell");
        assertEquals(List.of("nspawn-runner: error: Missing required parameter: 'JOB_ID' (see 'nspawn-runner jobs shell --help')"),
                shell.errLines(), shell.toString());
        assertEquals(2, shell.exitCode());
        Run chroot = run("chroot");
        assertEquals(List.of("nspawn-runner: error: name a subcommand: create, list, login, upgrade, remove, push, pull, follow"
                + " (see 'nspawn-runner chroot --help')"), chroot.errLines(), chroot.toString());
        assertEquals(2, chroot.exitCode());
    }

    @Test
    void aConfigTheAdminsCommandsCannotUseIsExit2InOneLineAndVerboseAddsTheStackTrace() throws IOException {
        Path bad = config("memory_max = \"8X\"\n");
        Run profiles = run("profiles", "--config", bad.toString());
        assertEquals(2, profiles.exitCode(), profiles.toString());
        assertEquals(List.of("nspawn-runner: error: invalid memory_max \"8X\" in " + bad
                + ": expected a size such as 512M or 8G, a share of the host's memory such as 50%, or infinity"), profiles.errLines());
        Run verbose = run("profiles", "--config", bad.toString(), "--verbose");
        assertEquals(2, verbose.exitCode(), verbose.toString());
        assertTrue(verbose.errLines().size() > 2 && verbose.err().contains("\tat io.github.nspawnrunner."), verbose.toString());
    }

    @Test
    void otherFailuresOfTheAdminsCommandsAreExit1InOneLine() throws IOException {
        Path good = config("chroots_dir = \"" + dir.resolve("chroots") + "\"\nstate_dir = \"" + dir.resolve("state") + "\"\n");
        Run remove = run("chroot", "remove", "nosuch", "--config", good.toString());
        assertEquals(1, remove.exitCode(), remove.toString());
        assertEquals(1, remove.errLines().size(), remove.toString());
        assertTrue(remove.err().startsWith("nspawn-runner: error: ") && remove.err().contains("nosuch"), remove.toString());
        Run list = run("chroot", "list", "--config", good.toString(), "--json");
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("[ ]", list.out().strip(), list.toString());
    }
}
