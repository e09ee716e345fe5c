package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.DeviceGrant;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Globs and links resolved to real device nodes; a device nodes of its own made with mknod where a mode matters. */
class DeviceMatcherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final DeviceMatcher matcher = new DeviceMatcher(new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), false), "job 1");

    private static Profile profile(boolean skipMissing, boolean userNamespace, DeviceGrant... devices) {
        Profile runner = new ConfigLoader(Map.of()).load(null).profiles().defaultProfile();
        return new Profile("board", "", List.of(devices), skipMissing, List.of(), runner.network(), userNamespace,
                runner.limits(), runner.limitsAllowed(), false, List.of());
    }

    @Test
    void aGlobMatchesTheLinksInItsDirectoryAndEachResolvesToItsDeviceNode() throws IOException {
        Path byId = Files.createDirectories(dir.resolve("serial/by-id"));
        Files.createSymbolicLink(byId.resolve("usb-board-b"), Path.of("/dev/zero"));
        Files.createSymbolicLink(byId.resolve("usb-board-a"), Path.of("/dev/null"));
        Files.createFile(byId.resolve("readme"));
        List<JobDevice> devices = matcher.resolve(profile(false, true, new DeviceGrant(byId + "/usb-*", false)));
        assertEquals(List.of(new JobDevice(byId.resolve("usb-board-a"), Path.of("/dev/null"), false),
                new JobDevice(byId.resolve("usb-board-b"), Path.of("/dev/zero"), false)), devices);
        assertEquals("--bind=/dev/null:" + byId.resolve("usb-board-a"), devices.get(0).nspawnOption());
        assertEquals("--bind=/dev/ttyUSB0:/dev/serial/by-path/pci-0000\\:00\\:14.0-usb-0\\:1-port0",
                new JobDevice(Path.of("/dev/serial/by-path/pci-0000:00:14.0-usb-0:1-port0"), Path.of("/dev/ttyUSB0"), false)
                        .nspawnOption());
    }

    @Test
    void aDeviceThatMatchesNothingFailsPrepareUnlessTheProfileSkipsIt() {
        DeviceGrant missing = new DeviceGrant(dir + "/ttyUSB*", false);
        ExecutorException e = assertThrows(ExecutorException.class, () -> matcher.resolve(profile(false, true, missing)));
        assertTrue(e.getMessage().startsWith("device " + missing.pattern() + " of profile board matches nothing on this host"
                + " (its missing_devices is \"fail\")"), e.getMessage());
        assertEquals(List.of(), matcher.resolve(profile(true, true, missing)));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("skipped (missing_devices = \"skip\")"));
    }

    @Test
    void aFileIsNoDevice() throws IOException {
        Path file = Files.createFile(dir.resolve("ttyFAKE"));
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> matcher.resolve(profile(false, false, new DeviceGrant(file.toString(), false))));
        assertEquals(file + " (matched by device " + file + ") is not a device node", e.getMessage());
    }

    @Test
    void inAUserNamespaceADeviceThatOthersCannotOpenIsRefusedWithWhatToDo() throws Exception {
        Path node = dir.resolve("ttyS9");
        Process mknod = new ProcessBuilder("mknod", "-m", "0660", node.toString(), "c", "1", "3").inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod needs root");
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> matcher.resolve(profile(false, true, new DeviceGrant(node.toString(), false))));
        assertTrue(e.getMessage().startsWith("device " + node + " (rw-rw---- root:root) cannot be opened by a job in a user"
                + " namespace"), e.getMessage());
        assertTrue(e.getMessage().endsWith("set user_namespace = false in [profiles.board], or give the device mode 0666 with a udev rule"));
        assertEquals(1, matcher.resolve(profile(false, false, new DeviceGrant(node.toString(), false))).size());
    }
}
