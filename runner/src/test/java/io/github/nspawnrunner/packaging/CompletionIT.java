package io.github.nspawnrunner.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash completion the package installs, sourced into a real bash and asked as readline asks it. */
class CompletionIT {
    private final BuiltPackage built = BuiltPackage.ofThisBuild();

    /** What bash offers for LINE (the words typed, the last one being completed), one per line, sorted. */
    private List<String> complete(Map<String, String> environment, String... words) {
        String script = "set -u; source \"$1\"; shift\n"
                + "COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}\n"
                + "spec=$(complete -p nspawn-runner); function=${spec#*-F }; function=${function%% *}\n"
                + "\"$function\" nspawn-runner \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "--norc", "-c", script, "bash", built.completion().toString()));
        argv.addAll(List.of(words));
        BuiltPackage.Output output = BuiltPackage.run(environment, argv.toArray(String[]::new));
        assertEquals(0, output.exitCode(), output.toString());
        return output.stdout().lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void sourcingItRegistersACompletionFunctionForNspawnRunner() {
        BuiltPackage.Output output = BuiltPackage.run(Map.of(), "bash", "--norc", "-c",
                "source \"$1\" && complete -p nspawn-runner", "bash", built.completion().toString());
        assertEquals(0, output.exitCode(), output.toString());
        assertTrue(output.stdout().matches("complete .*-F \\S+ nspawn-runner\\s*"), output.stdout());
    }

    @Test
    void itCompletesSubcommandsAndTheirSubcommands() {
        assertEquals(List.of("chroot"), complete(Map.of(), "nspawn-runner", "ch"));
        assertEquals(List.of("create", "follow", "list", "login", "pull", "push", "remove", "upgrade"), complete(Map.of(), "nspawn-runner", "chroot", ""));
        assertEquals(List.of("list", "pull"), complete(Map.of(), "nspawn-runner", "image", ""));
        assertEquals(List.of("install", "remove", "run"), complete(Map.of(), "nspawn-runner", "service", ""));
        assertEquals(List.of("gc", "shell"), complete(Map.of(), "nspawn-runner", "jobs", ""));
        assertEquals(List.of("profiles"), complete(Map.of(), "nspawn-runner", "prof"));
    }

    @Test
    void itCompletesOptions() {
        assertEquals(List.of("--no-chroot", "--no-service"), complete(Map.of(), "nspawn-runner", "setup", "--no-"));
        assertTrue(complete(Map.of(), "nspawn-runner", "chroot", "create", "--").contains("--distro"));
        assertEquals(List.of("--dry-run"), complete(Map.of(), "nspawn-runner", "jobs", "gc", "--d"));
        assertEquals(List.of("--json"), complete(Map.of(), "nspawn-runner", "profiles", "--j"));
    }

    @Test
    void itCompletesTheNamesOfExistingChrootsWhereACommandTakesOne(@TempDir Path chroots) throws IOException {
        Files.createDirectories(chroots.resolve(".versions/bookworm"));
        Files.createDirectories(chroots.resolve("trixie"));
        Files.createSymbolicLink(chroots.resolve("bookworm"), chroots.resolve(".versions/bookworm"));
        Map<String, String> environment = Map.of("NSPAWN_RUNNER_CHROOTS_DIR", chroots.toString());
        assertEquals(List.of("bookworm", "trixie"), complete(environment, "nspawn-runner", "chroot", "login", ""));
        assertEquals(List.of("trixie"), complete(environment, "nspawn-runner", "chroot", "upgrade", "t"));
        assertEquals(List.of("trixie"), complete(environment, "nspawn-runner", "chroot", "follow", "t"));
        assertEquals(List.of("bookworm"), complete(environment, "nspawn-runner", "chroot", "remove", "-v", "b"));
        // only the NAME: what follows is a command, not a chroot
        assertEquals(List.of(), complete(environment, "nspawn-runner", "chroot", "login", "bookworm", "t"));
    }

    @Test
    void theChrootsDirComesFromTheConfigFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("chroots/sid"));
        Path config = dir.resolve("nspawn-runner.toml");
        Files.writeString(config, "# chroots_dir = \"/nowhere\"\nchroots_dir = \"" + dir.resolve("chroots") + "\"\n");
        assertEquals(List.of("sid"), complete(Map.of("NSPAWN_RUNNER_CONFIG", config.toString()), "nspawn-runner", "chroot", "remove", ""));
    }
}
