package io.github.nspawnrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.executor.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("nspawn-runner.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsWorkWithoutAnyFile() {
        RunnerConfig config = new ConfigLoader(Map.of()).load(null);
        assertEquals(Path.of("/var/lib/nspawn-runner/chroots"), config.chrootsDir());
        assertEquals(Path.of("/var/lib/nspawn-runner/state"), config.stateDir());
        assertEquals(Path.of("/var/lib/nspawn-runner/state/jobs"), config.jobsDir());
        assertEquals("bookworm", config.defaultChroot());
        assertEquals(List.of("CI_JOB_IMAGE"), config.chrootVariables());
        assertEquals("nsr", config.machinePrefix());
        assertEquals(Duration.ofSeconds(60), config.prepareTimeout());
        assertEquals(Duration.ofSeconds(10), config.stopGrace());
        assertTrue(config.leanBoot());
        assertTrue(config.userNamespace());
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        Path file = file("""
                # comment
                chroots_dir = /srv/chroots
                state_dir=/srv/state
                default_chroot = trixie
                chroot_variables = NSPAWN_CHROOT, CI_JOB_IMAGE
                machine_prefix = ci2
                stop_grace_seconds = 3
                lean_boot = false
                user_namespace = false
                """);
        RunnerConfig config = new ConfigLoader(Map.of("NSPAWN_RUNNER_STATE_DIR", "/fast/state")).load(file);
        assertEquals(Path.of("/srv/chroots"), config.chrootsDir());
        assertEquals(Path.of("/fast/state"), config.stateDir());
        assertEquals("trixie", config.defaultChroot());
        assertEquals(List.of("NSPAWN_CHROOT", "CI_JOB_IMAGE"), config.chrootVariables());
        assertEquals("ci2", config.machinePrefix());
        assertEquals(Duration.ofSeconds(3), config.stopGrace());
        assertFalse(config.leanBoot());
        assertFalse(config.userNamespace());
    }

    @Test
    void configFileMayComeFromTheEnvironment() throws IOException {
        Path file = file("default_chroot = sid\n");
        assertEquals("sid", new ConfigLoader(Map.of("NSPAWN_RUNNER_CONFIG", file.toString())).load(null).defaultChroot());
    }

    @Test
    void jobVariablesDoNotReachTheConfig() {
        RunnerConfig config = new ConfigLoader(Map.of("CUSTOM_ENV_NSPAWN_RUNNER_STATE_DIR", "/tmp/evil")).load(null);
        assertEquals(Path.of("/var/lib/nspawn-runner/state"), config.stateDir());
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() throws IOException {
        Path file = file("chroot_dir = /x\n");
        ExecutorException e = assertThrows(ExecutorException.class, () -> new ConfigLoader(Map.of()).load(file));
        assertTrue(e.getMessage().contains("unknown key 'chroot_dir'"), e.getMessage());
        assertTrue(e.getMessage().contains("chroots_dir"), e.getMessage());
    }

    @Test
    void explicitFileMustExist() {
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> new ConfigLoader(Map.of()).load(dir.resolve("absent.conf")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedWithWhatIsExpected() throws IOException {
        for (String line : List.of("state_dir = relative/path", "state_dir = /a:b", "machine_prefix = Bad-Prefix",
                "prepare_timeout_seconds = soon", "stop_grace_seconds = 0", "chroot_variables = A-B",
                "lean_boot = yes")) {
            Path file = file(line + "\n");
            ExecutorException e = assertThrows(ExecutorException.class, () -> new ConfigLoader(Map.of()).load(file), line);
            assertTrue(e.getMessage().startsWith("invalid "), e.getMessage());
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
        }
    }
}
