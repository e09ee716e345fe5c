package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** `nspawn-runner setup` on a systemd host (the test host) and on this machine as it is. */
@ExtendWith(TestHostExtension.class)
class SetupIT {
    private final Host host;

    SetupIT(Host host) {
        this.host = host;
    }

    @Test
    void onASystemdHostItPassesAndPrintsTheRunnerBlock() throws IOException {
        ExecResult setup = host.adminCli("setup", "--no-chroot");
        assertEquals(0, setup.exitCode(), setup.toString());
        assertTrue(setup.stderr().contains("ok    systemd is PID 1"), setup.toString());
        assertTrue(setup.stderrLines().stream().noneMatch(l -> l.contains("FAIL")), setup.toString());
        assertTrue(setup.stdout().contains("executor = \"custom\""), setup.toString());
        assertTrue(setup.stdout().contains("run_exec = \"" + host.cli() + "\""), setup.toString());
        assertTrue(setup.stdout().contains("run_args = [\"run\"]"), setup.toString());
        assertTrue(setup.stderr().contains("installed nspawn-runner.service (the executor service)"), setup.toString());
        assertEquals("loaded", host.shell("systemctl show -P LoadState nspawn-runner.service").stdout().trim());
        // the other tests choose with or without the service themselves
        ExecResult remove = host.adminCli("service", "remove");
        assertEquals(0, remove.exitCode(), remove.toString());

        String config = host.jobsRootInside() + "/config.toml";
        Files.writeString(host.jobsRootOutside().resolve("config.toml"), "concurrent = 4\n");
        for (int i = 0; i < 2; i++) {
            ExecResult write = host.adminCli("setup", "--no-chroot", "--no-service", "--write-runner-config", config);
            assertEquals(0, write.exitCode(), write.toString());
        }
        String written = Files.readString(host.jobsRootOutside().resolve("config.toml"));
        assertTrue(written.startsWith("concurrent = 4\n"), written);
        assertEquals(1, written.split("\\[\\[runners]]", -1).length - 1, written);
    }

    @Test
    void theExampleTimersAreValidSystemdUnits() throws IOException {
        Path project = Path.of(System.getProperty("it.project.dir"));
        for (String timer : List.of("nspawn-runner-upgrade@", "nspawn-runner-chroot-follow@")) {
            for (String unit : List.of(timer + ".service", timer + ".timer")) {
                // the example assumes an installation in /opt/nspawn-runner; this one is the checkout
                Files.writeString(host.jobsRootOutside().resolve(unit), Files.readString(project.resolve("etc/systemd").resolve(unit))
                        .replace("/opt/nspawn-runner", project.toString()));
            }
            ExecResult verify = host.shell("cp " + host.jobsRootInside() + "/" + timer + ".* /etc/systemd/system/"
                    + " && systemctl daemon-reload && systemd-analyze verify " + timer + "bookworm.service " + timer + "bookworm.timer"
                    + " && systemctl show -p Id,NextElapseUSecRealtime " + timer + "bookworm.timer");
            assertEquals(0, verify.exitCode(), verify.toString());
            assertEquals("", verify.stderr(), verify.toString());
        }
    }

    @Test
    void withoutSystemdAsPid1ItSaysSoPlainly() throws Exception {
        Path project = Path.of(System.getProperty("it.project.dir"));
        Process setup = new ProcessBuilder(project.resolve("bin/nspawn-runner").toString(), "setup", "--no-chroot")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(setup.getErrorStream().readAllBytes());
        int status = setup.waitFor();
        String pid1 = Files.readString(Path.of("/proc/1/comm")).trim();
        if (pid1.equals("systemd")) {
            assertTrue(stderr.contains("ok    systemd is PID 1"), stderr);
        } else {
            assertEquals(1, status, stderr);
            assertTrue(stderr.contains("FAIL  systemd is PID 1: PID 1 is '" + pid1 + "', not systemd"), stderr);
            assertTrue(stderr.contains("run it on a host booted with systemd"), stderr);
        }
    }
}
