package io.github.nspawnrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private Path file(String toml) throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        Files.writeString(file, toml);
        return file;
    }

    /** A loader whose default and legacy files are in the test's directory, not in /etc. */
    private ConfigLoader loader(Map<String, String> environment) {
        return new ConfigLoader(environment, dir.resolve("nspawn-runner.toml"), dir.resolve("nspawn-runner.conf"));
    }

    /** The one-line error that loading FILE gives. */
    private String error(Path file) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(file));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private String error(String toml) throws IOException {
        return error(file(toml));
    }

    @Test
    void anUnsetMaximumIsTheLimitItselfAndAMaximumBelowItsLimitIsRefused() throws IOException {
        RunnerConfig config = loader(Map.of()).load(file("memory_max = \"2G\"\ntasks_max = 512\ntasks_max_allowed = 4096\n"));
        assertEquals(2L << 30, config.limitsAllowed().get(ResourceLimit.MEMORY_MAX), "a job may only ask for less");
        assertEquals(4096, config.limitsAllowed().get(ResourceLimit.TASKS_MAX));
        assertEquals("invalid memory_max_allowed \"1G\" in " + dir.resolve("low.toml") + ": expected at least memory_max (2G)",
                error(Files.writeString(dir.resolve("low.toml"), "memory_max = \"2G\"\nmemory_max_allowed = \"1G\"\n")));
    }

    @Test
    void defaultsWorkWithoutAnyFile() {
        RunnerConfig config = loader(Map.of()).load(null);
        assertEquals(Path.of("/var/lib/nspawn-runner/chroots"), config.chrootsDir());
        assertEquals(Path.of("/var/lib/nspawn-runner/state"), config.stateDir());
        assertEquals(Path.of("/var/lib/nspawn-runner/state/jobs"), config.jobsDir());
        assertEquals("bookworm", config.defaultChroot());
        assertEquals(List.of("CI_JOB_IMAGE"), config.chrootVariables());
        assertEquals("nsr", config.machinePrefix());
        assertEquals(Duration.ofSeconds(60), config.prepareTimeout());
        assertEquals(Duration.ofSeconds(10), config.stopGrace());
        assertEquals(Path.of("/usr/bin/gitlab-runner"), config.gitlabRunnerBinary());
        assertTrue(config.leanBoot());
        assertEquals(NetworkMode.PRIVATE, config.network());
        assertEquals(List.of(Cidr.parse("169.254.0.0/16")), config.networkDeny());
        assertEquals(Cidr.parse("10.213.0.0/16"), config.networkPool());
        assertTrue(config.userNamespace());
        long hostMemory = HostMemory.total();
        for (ResourceLimits limits : List.of(config.limits(), config.limitsAllowed())) {
            assertEquals(80 * (hostMemory / 100), limits.get(ResourceLimit.MEMORY_MAX));
            assertEquals(ResourceLimit.UNLIMITED, limits.get(ResourceLimit.CPU_QUOTA));
            assertEquals(8192, limits.get(ResourceLimit.TASKS_MAX));
            assertEquals(100, limits.get(ResourceLimit.IO_WEIGHT));
        }
    }

    @Test
    void theDefaultPathIsTheTomlFile() {
        assertEquals(Path.of("/etc/nspawn-runner/nspawn-runner.toml"), RunnerConfig.DEFAULT_FILE);
    }

    @Test
    void everyKeyIsReadFromTheFile() throws IOException {
        Path file = file("""
                # every key, none at its default
                chroots_dir = "/srv/chroots"
                state_dir = "/srv/state/"
                default_chroot = "trixie"
                chroot_variables = ["NSPAWN_CHROOT", "CI_JOB_IMAGE"]
                machine_prefix = "ci2"
                prepare_timeout_seconds = 120
                stop_grace_seconds = 3
                gitlab_runner_binary = "/opt/gitlab-runner"
                lean_boot = false
                network = "none"
                network_deny = ["10.0.0.0/8", "fd00::/8"]
                network_pool = "192.168.200.0/24"
                user_namespace = false
                memory_max = "2G"
                cpu_quota = "200%"
                tasks_max = 1024
                io_weight = "50"
                memory_max_allowed = 17179869184
                cpu_quota_allowed = "infinity"
                tasks_max_allowed = "infinity"
                io_weight_allowed = 1000
                """);
        RunnerConfig config = loader(Map.of()).load(file);
        assertEquals(Path.of("/srv/chroots"), config.chrootsDir());
        assertEquals(Path.of("/srv/state"), config.stateDir());
        assertEquals("trixie", config.defaultChroot());
        assertEquals(List.of("NSPAWN_CHROOT", "CI_JOB_IMAGE"), config.chrootVariables());
        assertEquals("ci2", config.machinePrefix());
        assertEquals(Duration.ofSeconds(120), config.prepareTimeout());
        assertEquals(Duration.ofSeconds(3), config.stopGrace());
        assertEquals(Path.of("/opt/gitlab-runner"), config.gitlabRunnerBinary());
        assertFalse(config.leanBoot());
        assertEquals(NetworkMode.NONE, config.network());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), config.networkDeny());
        assertEquals(Cidr.parse("192.168.200.0/24"), config.networkPool());
        assertFalse(config.userNamespace());
        assertEquals(2L << 30, config.limits().get(ResourceLimit.MEMORY_MAX));
        assertEquals(200, config.limits().get(ResourceLimit.CPU_QUOTA));
        assertEquals(1024, config.limits().get(ResourceLimit.TASKS_MAX));
        assertEquals(50, config.limits().get(ResourceLimit.IO_WEIGHT));
        assertEquals(16L << 30, config.limitsAllowed().get(ResourceLimit.MEMORY_MAX));
        assertEquals(ResourceLimit.UNLIMITED, config.limitsAllowed().get(ResourceLimit.CPU_QUOTA));
        assertEquals(ResourceLimit.UNLIMITED, config.limitsAllowed().get(ResourceLimit.TASKS_MAX));
        assertEquals(1000, config.limitsAllowed().get(ResourceLimit.IO_WEIGHT));
    }

    @Test
    void theAnnotatedExampleIsValidAndShowsTheDefaults() {
        Path example = Path.of("etc/nspawn-runner.toml");
        assertEquals(loader(Map.of()).load(null), loader(Map.of()).load(example));
        String text = assertDoesNotThrowReading(example);
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(text.contains("\n" + key.fileKey() + " = "), "the example sets " + key.fileKey());
        }
    }

    private static String assertDoesNotThrowReading(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aListMayBeOneString() throws IOException {
        RunnerConfig config = loader(Map.of()).load(file("""
                chroot_variables = "NSPAWN_CHROOT"
                network_deny = "192.168.0.0/16"
                """));
        assertEquals(List.of("NSPAWN_CHROOT"), config.chrootVariables());
        assertEquals(List.of(Cidr.parse("192.168.0.0/16")), config.networkDeny());
    }

    @Test
    void emptyListsMeanNone() throws IOException {
        RunnerConfig config = loader(Map.of()).load(file("chroot_variables = []\nnetwork_deny = []\n"));
        assertEquals(List.of(), config.chrootVariables());
        assertEquals(List.of(), config.networkDeny());
    }

    @Test
    void environmentOverridesFileAsText() throws IOException {
        Path file = file("""
                state_dir = "/srv/state"
                default_chroot = "trixie"
                lean_boot = true
                network_deny = ["10.0.0.0/8"]
                tasks_max = 100
                """);
        RunnerConfig config = loader(Map.of(
                "NSPAWN_RUNNER_STATE_DIR", "/fast/state",
                "NSPAWN_RUNNER_LEAN_BOOT", "false",
                "NSPAWN_RUNNER_CHROOT_VARIABLES", "A, B",
                "NSPAWN_RUNNER_NETWORK_DENY", "172.16.0.0/12,192.168.0.0/16",
                "NSPAWN_RUNNER_TASKS_MAX", "200",
                "NSPAWN_RUNNER_PREPARE_TIMEOUT_SECONDS", "30")).load(file);
        assertEquals(Path.of("/fast/state"), config.stateDir());
        assertEquals("trixie", config.defaultChroot());
        assertFalse(config.leanBoot());
        assertEquals(List.of("A", "B"), config.chrootVariables());
        assertEquals(List.of(Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16")), config.networkDeny());
        assertEquals(200, config.limits().get(ResourceLimit.TASKS_MAX));
        assertEquals(Duration.ofSeconds(30), config.prepareTimeout());
    }

    @Test
    void configFileMayComeFromTheEnvironment() throws IOException {
        Path file = dir.resolve("elsewhere.toml");
        Files.writeString(file, "default_chroot = \"sid\"\n");
        assertEquals("sid", loader(Map.of("NSPAWN_RUNNER_CONFIG", file.toString())).load(null).defaultChroot());
    }

    @Test
    void theDefaultFileIsReadWhenPresent() throws IOException {
        file("default_chroot = \"sid\"\n");
        assertEquals("sid", loader(Map.of()).load(null).defaultChroot());
    }

    @Test
    void jobVariablesDoNotReachTheConfig() {
        RunnerConfig config = loader(Map.of("CUSTOM_ENV_NSPAWN_RUNNER_STATE_DIR", "/tmp/evil",
                "CUSTOM_ENV_NSPAWN_RUNNER_NETWORK", "host")).load(null);
        assertEquals(Path.of("/var/lib/nspawn-runner/state"), config.stateDir());
        assertEquals(NetworkMode.PRIVATE, config.network());
    }

    @Test
    void explicitFileMustExist() {
        String message = error(dir.resolve("absent.toml"));
        assertTrue(message.contains(dir.resolve("absent.toml") + " does not exist"), message);
    }

    @Test
    void anOldConfFileIsRefusedWithHowToConvertIt() throws IOException {
        Files.writeString(dir.resolve("nspawn-runner.conf"), "state_dir = /srv/state\n");
        String message = error((Path) null);
        assertTrue(message.startsWith(dir.resolve("nspawn-runner.conf") + " is no longer read: rename it to "
                + dir.resolve("nspawn-runner.toml")), message);
        assertTrue(message.contains("state_dir = \"/srv/state\""), message);
        // once the TOML file is there, the old one no longer matters
        file("state_dir = \"/srv/state\"\n");
        assertEquals(Path.of("/srv/state"), loader(Map.of()).load(null).stateDir());
    }

    @Test
    void unknownKeyIsNamedWithTheFileAndTheKnownKeys() throws IOException {
        for (String toml : List.of("chroot_dir = \"/x\"\n", "[network_deny_v6]\nx = 1\n", "a.b = 1\n")) {
            String message = error(toml);
            assertTrue(message.startsWith("unknown key \""), message);
            assertTrue(message.contains(" in " + dir.resolve("nspawn-runner.toml") + ": known keys are chroots_dir, "), message);
        }
        assertTrue(error("chroot_dir = \"/x\"\n").startsWith("unknown key \"chroot_dir\""));
    }

    @Test
    void wrongTypeNamesKeyValueAndType() throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("lean_boot = \"yes\"", "invalid lean_boot \"yes\" in " + file + ": expected true or false (a boolean, unquoted)"),
                Map.entry("user_namespace = 1", "invalid user_namespace 1 in " + file + ": expected true or false"),
                Map.entry("prepare_timeout_seconds = \"60\"", "invalid prepare_timeout_seconds \"60\" in " + file
                        + ": expected a whole number of seconds from 1 to 86400 (an integer)"),
                Map.entry("stop_grace_seconds = 1.5", "invalid stop_grace_seconds 1.5 in " + file + ": expected a whole number"),
                Map.entry("state_dir = 5", "invalid state_dir 5 in " + file + ": expected an absolute path"),
                Map.entry("default_chroot = true", "invalid default_chroot true in " + file + ": expected the name of a chroot"),
                Map.entry("network = [\"private\"]", "invalid network [\"private\"] in " + file + ": expected \"private\""),
                Map.entry("network_deny = [1]", "invalid network_deny [1] in " + file + ": expected networks"),
                Map.entry("chroot_variables = { a = 1 }", "invalid chroot_variables { a = 1 } in " + file + ": expected names of job variables"),
                Map.entry("memory_max = true", "invalid memory_max true in " + file + ": expected a size"),
                Map.entry("io_weight = 100.0", "invalid io_weight 100.0 in " + file + ": expected a whole number from 1 to 10000"),
                Map.entry("cpu_quota = 200", "invalid cpu_quota 200 in " + file + ": expected a share of one CPU"));
        for (var entry : expected.entrySet()) {
            String message = error(entry.getKey() + "\n");
            assertTrue(message.startsWith(entry.getValue()), entry.getKey() + " gave: " + message);
        }
    }

    @Test
    void badValuesNameKeyValueAndWhatIsAllowed() throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("state_dir = \"relative/path\"", "invalid state_dir \"relative/path\" in " + file + ": expected an absolute path"),
                Map.entry("chroots_dir = \"/a:b\"", "invalid chroots_dir \"/a:b\" in " + file + ": expected an absolute path"),
                Map.entry("machine_prefix = \"Bad-Prefix\"", "invalid machine_prefix \"Bad-Prefix\" in " + file + ": expected 1-16 lower-case"),
                Map.entry("stop_grace_seconds = 0", "invalid stop_grace_seconds 0 in " + file + ": expected a whole number of seconds"),
                Map.entry("prepare_timeout_seconds = 86401", "invalid prepare_timeout_seconds 86401 in " + file + ": expected"),
                Map.entry("chroot_variables = [\"A-B\"]", "invalid chroot_variables \"A-B\" in " + file + ": expected names of job variables"),
                Map.entry("network = \"bridge\"", "invalid network \"bridge\" in " + file + ": expected \"private\", \"host\" or \"none\""),
                Map.entry("network_deny = [\"10.0.0.0/8\", \"10.0.0.0/33\"]", "invalid network_deny \"10.0.0.0/33\" in " + file
                        + ": expected networks such as"),
                Map.entry("network_deny = [\"example.com/8\"]", "invalid network_deny \"example.com/8\" in " + file + ": expected networks"),
                Map.entry("network_pool = \"fd00::/64\"", "invalid network_pool \"fd00::/64\" in " + file + ": expected an IPv4 network"),
                Map.entry("memory_max = \"8X\"", "invalid memory_max \"8X\" in " + file + ": expected a size such as 512M"),
                Map.entry("memory_max_allowed = \"16M\"", "invalid memory_max_allowed \"16M\" in " + file + ": expected a size"),
                Map.entry("cpu_quota = \"2\"", "invalid cpu_quota \"2\" in " + file + ": expected a share of one CPU"),
                Map.entry("stop_grace_seconds = 99999999999999999999", "invalid stop_grace_seconds 99999999999999999999 in " + file
                        + ": expected a whole number of seconds"),
                Map.entry("memory_max = 99999999999999999999", "invalid memory_max 99999999999999999999 in " + file + ": expected a size"),
                Map.entry("tasks_max = 8", "invalid tasks_max 8 in " + file + ": expected a whole number of processes"),
                Map.entry("io_weight_allowed = \"infinity\"", "invalid io_weight_allowed \"infinity\" in " + file + ": expected a whole number"));
        for (var entry : expected.entrySet()) {
            String message = error(entry.getKey() + "\n");
            assertTrue(message.startsWith(entry.getValue()), entry.getKey() + " gave: " + message);
        }
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader(Map.of("NSPAWN_RUNNER_MEMORY_MAX", "lots")).load(null));
        assertEquals("invalid memory_max \"lots\" in environment variable NSPAWN_RUNNER_MEMORY_MAX: expected "
                + ResourceLimit.MEMORY_MAX.expected(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> loader(Map.of("NSPAWN_RUNNER_NETWORK_DENY", "10.0.0.0/8,1.2.3.4/32 accept")).load(null));
        assertTrue(e.getMessage().startsWith("invalid network_deny \"accept\" in environment variable NSPAWN_RUNNER_NETWORK_DENY"),
                e.getMessage());
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws IOException {
        Path file = dir.resolve("nspawn-runner.toml");
        String message = error("default_chroot = \"sid\"\nstate_dir = /srv/state\n");
        assertTrue(message.startsWith("TOML syntax error in " + file + " line 2: "), message);
        assertTrue(message.endsWith("(text values are quoted: key = \"value\")"), message);
        message = error("# comment\n\nnetwork = \"private\n");
        assertTrue(message.startsWith("TOML syntax error in " + file + " line 3: "), message);
    }

    @Test
    void anOldFormatFileGivenByNameIsASyntaxError() throws IOException {
        Path old = dir.resolve("old.conf");
        Files.writeString(old, "# comment\nstate_dir = /srv/state\n");
        String message = error(old);
        assertTrue(message.startsWith("TOML syntax error in " + old + " line 2: "), message);
    }

    @Test
    void chrootFollowNamesAnImageReferencePerChroot() throws IOException {
        assertEquals(Map.of(), loader(Map.of()).load(null).chrootFollow());
        RunnerConfig config = loader(Map.of()).load(file("default_chroot = \"bookworm\"\n[chroot_follow]\n"
                + "bookworm = \"registry.example.com/fleet/bookworm:stable\"\n\"trixie-arm64\" = \"registry.example.com/fleet/trixie:1\"\n"));
        assertEquals(Map.of("bookworm", "registry.example.com/fleet/bookworm:stable", "trixie-arm64", "registry.example.com/fleet/trixie:1"),
                config.chrootFollow());
        assertEquals(config.chrootFollow(), config.forProfile(config.profiles().defaultProfile()).chrootFollow());
    }

    @Test
    void badChrootFollowEntriesAreOneLine() throws IOException {
        Path f = dir.resolve("nspawn-runner.toml");
        assertEquals("invalid chroot name \"../etc\" in [chroot_follow] of " + f + ": expected a plain name like bookworm"
                + " ([A-Za-z0-9][A-Za-z0-9._-]*)", error("[chroot_follow]\n\"../etc\" = \"registry.example.com/x:1\"\n"));
        assertTrue(error("[chroot_follow]\nbookworm = 1\n").startsWith("invalid chroot_follow.bookworm in " + f
                + ": expected a table of chroot names and image references"), error("[chroot_follow]\nbookworm = 1\n"));
        assertTrue(error("chroot_follow = \"x\"\n").startsWith("invalid chroot_follow in " + f), error("chroot_follow = \"x\"\n"));
    }

    @Test
    void imagesAreRefusedByDefault() {
        ImageSettings images = loader(Map.of()).load(null).images();
        assertEquals(List.of(), images.registries(), "no registry: no image");
        assertEquals(List.of("**"), images.allowed().stream().map(ImagePattern::glob).toList());
        assertEquals(20L << 30, images.cacheMax());
        assertEquals(PullPolicy.ALWAYS, images.pullPolicy());
        assertEquals(Path.of("/var/lib/nspawn-runner/state/images"), loader(Map.of()).load(null).imagesDir());
    }

    @Test
    void imageKeysFromTheFileAndTheEnvironment() throws IOException {
        RunnerConfig config = loader(Map.of()).load(file("image_registries = [\"docker.io\", \"registry.example.com:5050\","
                + " \"index.docker.io\"]\nimages_allowed = [\"docker.io/library/*\", \"registry.example.com:5050/team/**\"]\n"
                + "image_cache_max = \"500M\"\nimage_max_size = \"2G\"\npull_policy = \"if-not-present\"\n"));
        ImageSettings images = config.images();
        assertEquals(List.of("docker.io", "registry.example.com:5050", "docker.io"), images.registries());
        assertEquals(List.of("docker.io/library/*", "registry.example.com:5050/team/**"),
                images.allowed().stream().map(ImagePattern::glob).toList());
        assertEquals(500L << 20, images.cacheMax());
        assertEquals(2L << 30, images.maxSize());
        assertEquals(PullPolicy.IF_NOT_PRESENT, images.pullPolicy());

        ImageSettings fromEnvironment = loader(Map.of("NSPAWN_RUNNER_IMAGE_REGISTRIES", "127.0.0.1:5000, localhost",
                "NSPAWN_RUNNER_PULL_POLICY", "never", "NSPAWN_RUNNER_IMAGE_CACHE_MAX", "2T")).load(null).images();
        assertEquals(List.of("127.0.0.1:5000", "localhost"), fromEnvironment.registries());
        assertEquals(PullPolicy.NEVER, fromEnvironment.pullPolicy());
        assertEquals(2L << 40, fromEnvironment.cacheMax());
        assertEquals(List.of("docker.io"), loader(Map.of()).load(file("image_registries = \"docker.io\"\n")).images().registries(),
                "one string is a one-element list");
    }

    @Test
    void badImageValuesAreOneLineNamingTheKey() throws IOException {
        Path f = dir.resolve("nspawn-runner.toml");
        assertEquals("invalid image_registries \"https://docker.io\" in " + f + ": expected registry hosts such as"
                + " [\"docker.io\", \"registry.example.com:5050\"]: host[:port], lower-case",
                error("image_registries = [\"https://docker.io\"]\n"));
        assertTrue(error("image_registries = [\"Registry.example.com\"]\n").startsWith("invalid image_registries \"Registry"));
        assertTrue(error("image_registries = [\"reg.io:port\"]\n").startsWith("invalid image_registries"));
        assertTrue(error("images_allowed = [\"docker.io/[abc\"]\n").startsWith("invalid images_allowed \"docker.io/[abc\" in "));
        assertTrue(error("images_allowed = [\"\"]\n").startsWith("invalid images_allowed \"\" in "));
        assertEquals("invalid image_cache_max \"20\" in " + f + ": expected a size such as \"20G\" or \"500M\" (K, M, G, T),"
                + " at least 1M", error("image_cache_max = \"20\"\n"));
        assertTrue(error("image_cache_max = \"512K\"\n").startsWith("invalid image_cache_max \"512K\""), "below 1M");
        assertTrue(error("image_cache_max = 20\n").contains("(a string, in double quotes)"));
        assertEquals("invalid image_max_size \"lots\" in " + f + ": expected a size such as \"20G\" or \"500M\" (K, M, G, T),"
                + " at least 1M", error("image_max_size = \"lots\"\n"));
        assertEquals("invalid pull_policy \"sometimes\" in " + f + ": expected \"always\", \"if-not-present\" or \"never\"",
                error("pull_policy = \"sometimes\"\n"));
        assertTrue(error("image_registries = [1]\n").contains("(an array of strings)"));
        Files.delete(f);
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader(Map.of("NSPAWN_RUNNER_PULL_POLICY", "Always")).load(null));
        assertEquals("invalid pull_policy \"Always\" in environment variable NSPAWN_RUNNER_PULL_POLICY: expected \"always\","
                + " \"if-not-present\" or \"never\"", e.getMessage());
    }
}
