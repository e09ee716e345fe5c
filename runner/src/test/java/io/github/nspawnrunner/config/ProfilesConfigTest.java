package io.github.nspawnrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [profiles.NAME] tables as the admin writes them, and each mistake as one line naming the table and key. */
class ProfilesConfigTest {
    @TempDir
    Path dir;

    private RunnerConfig load(String toml) throws IOException {
        Path file = Files.writeString(dir.resolve("nspawn-runner.toml"), toml);
        return new ConfigLoader(Map.of(), file, dir.resolve("legacy.conf")).load(file);
    }

    private String error(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(toml));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static final String BOARD = """
            profiles_allowed = ["kvm", "board"]
            memory_max = "4G"
            [profiles.kvm]
            description = "qemu with KVM"
            shared_devices = ["/dev/kvm"]
            memory_max = "16G"
            [profiles.board]
            devices = ["/dev/ttyUSB*", "/dev/serial/by-id/*"]
            missing_devices = "skip"
            user_namespace = false
            network = "host"
            host_dirs = ["/srv/yocto/dl:/yocto/dl:rw", "/srv/ref:/ref"]
            chroots = ["bookworm"]
            [profiles.hidden]
            container_engines = true
            """;

    @Test
    void withoutProfilesEveryJobGetsTheRunnersOwnSettingsAsTheDefaultProfile() throws IOException {
        RunnerConfig config = load("network = \"none\"\n");
        Profile profile = config.profiles().defaultProfile();
        assertEquals(Profile.DEFAULT_NAME, profile.name());
        assertEquals(NetworkMode.NONE, profile.network());
        assertEquals(config.limits(), profile.limits());
        assertEquals(List.of(), profile.devices());
        assertEquals(List.of(Profile.DEFAULT_NAME), config.profiles().selectableNames());
    }

    @Test
    void aProfileOverridesTheRunnersSettingsAndKeepsTheRestOfThem() throws IOException {
        RunnerConfig config = load(BOARD);
        Profile kvm = config.profiles().find("kvm").orElseThrow();
        assertEquals(List.of(new DeviceGrant("/dev/kvm", true)), kvm.devices());
        assertEquals(16L << 30, kvm.limits().get(ResourceLimit.MEMORY_MAX));
        assertEquals(16L << 30, kvm.limitsAllowed().get(ResourceLimit.MEMORY_MAX), "its jobs may ask for less, not more");
        assertEquals(config.network(), kvm.network());
        assertTrue(kvm.userNamespace());
        Profile board = config.profiles().find("board").orElseThrow();
        assertEquals(List.of(new DeviceGrant("/dev/ttyUSB*", false), new DeviceGrant("/dev/serial/by-id/*", false)), board.devices());
        assertTrue(board.skipMissingDevices());
        assertFalse(board.userNamespace());
        assertEquals(NetworkMode.HOST, board.network());
        assertEquals(4L << 30, board.limits().get(ResourceLimit.MEMORY_MAX));
        assertEquals(List.of(new HostDir(Path.of("/srv/yocto/dl"), Path.of("/yocto/dl"), false),
                new HostDir(Path.of("/srv/ref"), Path.of("/ref"), true)), board.hostDirs());
        assertTrue(board.allowsChroot("bookworm"));
        assertFalse(board.allowsChroot("trixie"));
        assertTrue(kvm.allowsChroot("trixie"));
        RunnerConfig onBoard = config.forProfile(board);
        assertEquals(NetworkMode.HOST, onBoard.network());
        assertFalse(onBoard.userNamespace());
    }

    @Test
    void jobsMaySelectOnlyTheDefaultAndTheProfilesTheAdminAllows() throws IOException {
        Profiles profiles = load(BOARD).profiles();
        assertEquals(List.of("default", "kvm", "board"), profiles.selectableNames());
        assertTrue(profiles.isSelectable("kvm"));
        assertFalse(profiles.isSelectable("hidden"), "defined, but not in profiles_allowed");
        assertTrue(profiles.find("hidden").orElseThrow().containerEngines());
        assertEquals("default", profiles.defaultName());
    }

    @Test
    void theAdminMayMakeAnotherProfileTheDefault() throws IOException {
        Profiles profiles = load("default_profile = \"kvm\"\n[profiles.kvm]\nshared_devices = [\"/dev/kvm\"]\n").profiles();
        assertEquals("kvm", profiles.defaultProfile().name());
        assertTrue(profiles.isSelectable("kvm"));
        assertFalse(profiles.isSelectable("default"), "not listed, and no longer the default");
    }

    @Test
    void eachMistakeIsOneLineNamingTheTableTheKeyAndWhatIsExpected() {
        String file = dir.resolve("nspawn-runner.toml").toString();
        assertEquals("invalid profiles_allowed \"nope\" in " + file + ": expected names of profiles such as [\"kvm\", \"board\"]:"
                + " each a [profiles.NAME] table or \"default\"", error("profiles_allowed = [\"nope\"]\n"));
        assertTrue(error("[profiles.kvm]\ndevices = [\"kvm\"]\n").startsWith("invalid devices \"kvm\" in [profiles.kvm] of " + file));
        assertTrue(error("[profiles.kvm]\ndevices = [\"/dev/../etc/shadow\"]\n").startsWith("invalid devices"));
        assertTrue(error("[profiles.kvm]\ncolour = \"red\"\n").startsWith("unknown key \"colour\" in [profiles.kvm] of " + file
                + ": a profile's keys are description, devices,"));
        assertTrue(error("[profiles.kvm]\nstate_dir = \"/x\"\n").startsWith("unknown key \"state_dir\" in [profiles.kvm]"),
                "runner-wide keys are not a profile's");
        assertTrue(error("[profiles.kvm]\nhost_dirs = [\"/a:b\"]\n").startsWith("invalid host_dirs \"/a:b\""));
        assertTrue(error("[profiles.kvm]\nhost_dirs = [\"/a:/b:rx\"]\n").startsWith("invalid host_dirs \"/a:/b:rx\""));
        assertTrue(error("[profiles.kvm]\nhost_dirs = [\"/a:/\"]\n").startsWith("invalid host_dirs \"/a:/\""));
        assertEquals("invalid memory_max_allowed \"512M\" in [profiles.kvm] of " + file + ": expected at least memory_max (1G)",
                error("[profiles.kvm]\nmemory_max = \"1G\"\nmemory_max_allowed = \"512M\"\n"));
        assertTrue(error("[profiles.Kvm]\n").startsWith("invalid profile name \"Kvm\""));
        assertTrue(error("default_profile = \"x\"\n").startsWith("invalid default_profile \"x\""));
        assertTrue(error("profiles = 3\n").startsWith("invalid profiles in " + file));
        assertTrue(error("[profiles.kvm]\nnetwork = \"lan\"\n").startsWith("invalid network \"lan\" in [profiles.kvm]"));
        assertTrue(error("[profiles.kvm]\nuser_namespace = \"no\"\n").startsWith("invalid user_namespace \"no\" in [profiles.kvm]"));
        assertTrue(error("[profiles.kvm]\nmissing_devices = \"maybe\"\n").startsWith("invalid missing_devices \"maybe\""));
        assertTrue(error("[profiles.kvm]\ncontainer_engines = \"yes\"\n").startsWith("invalid container_engines \"yes\""));
        assertTrue(error("[profiles.kvm]\nchroots = [\"../etc\"]\n").startsWith("invalid chroots \"../etc\""));
    }
}
