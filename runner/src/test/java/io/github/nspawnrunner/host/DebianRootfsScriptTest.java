package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rootfs-builder/debian-rootfs chooses its builder by what is installed: run for real with a PATH
 * that holds the real mmdebstrap and debootstrap, or only one of them, or neither. Its mirror is
 * unreachable (loopback port 9), so it stops right after choosing, before building anything.
 * (ChrootManagementIT builds a whole chroot with mmdebstrap in the test host.)
 */
class DebianRootfsScriptTest {
    private static final Path SCRIPT = Path.of("rootfs-builder/debian-rootfs").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Result(int exitCode, List<String> stderr) {
    }

    /** Runs the script with a PATH of only the COMMANDS (links to the installed ones) and ARGS. */
    private Result run(List<String> commands, String... args) throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory(tmp, "bin");
        for (String command : commands) {
            Path real = Executables.find(command, System.getenv("PATH"))
                    .orElseThrow(() -> new IllegalStateException(command + " is not installed here: bin/install-deps installs it"));
            Files.createSymbolicLink(bin.resolve(command), real);
        }
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString(), "--mirror", "http://127.0.0.1:9/debian"));
        argv.addAll(List.of(args));
        argv.add(tmp.resolve("rootfs").toString());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Result result = new Result(process.waitFor(), stderr.lines().toList());
        assertFalse(Files.exists(tmp.resolve("rootfs")), "left a tree behind: " + result);
        return result;
    }

    /** What the script needs up to its mirror check, besides a builder. */
    private static List<String> basics(String... builders) {
        List<String> commands = new ArrayList<>(List.of("bash", "id", "curl"));
        commands.addAll(List.of(builders));
        return commands;
    }

    @Test
    void withoutMmdebstrapItFallsBackToDebootstrapAndSaysSo() throws Exception {
        Result result = run(basics("debootstrap"));
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals("debian-rootfs: building with debootstrap (mmdebstrap, faster, is not installed)", result.stderr().get(0));
    }

    @Test
    void withBothItTakesMmdebstrap() throws Exception {
        Result result = run(basics("mmdebstrap", "debootstrap"));
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals("debian-rootfs: building with mmdebstrap", result.stderr().get(0));
    }

    @Test
    void aBuilderAskedForIsUsedOrMissing() throws Exception {
        assertEquals("debian-rootfs: building with debootstrap",
                run(basics("mmdebstrap", "debootstrap"), "--builder", "debootstrap").stderr().get(0));
        Result missing = run(basics("debootstrap"), "--builder", "mmdebstrap");
        assertEquals(new Result(1, List.of("debian-rootfs: mmdebstrap is missing: apt-get install mmdebstrap")), missing);
    }

    @Test
    void withNeitherItSaysWhatToInstall() throws Exception {
        Result result = run(basics());
        assertEquals(new Result(1, List.of("debian-rootfs: neither mmdebstrap nor debootstrap is installed: apt-get install mmdebstrap")),
                result);
    }

    @Test
    void anUnknownBuilderIsAUsageError() throws Exception {
        Result result = run(basics("debootstrap"), "--builder", "cdebootstrap");
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().size(), result.toString());
    }
}
