package io.github.nspawnrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.machine.EnteredStages;
import io.github.nspawnrunner.machine.MachineName;
import io.github.nspawnrunner.machine.StageTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-stage.bash on an image job's stage target file, for real, with a systemd-run on PATH that
 * records its arguments instead of starting a unit (and leaves the exit marker a stage would).
 */
class RunStageEnterTest {
    @Test
    void anEnteredStageGetsTheImagesEnvAndWorkingDirEscapedForSystemdAndAlwaysForksIntoTheBoundPidNamespace(@TempDir Path dir)
            throws Exception {
        Path ns = Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of("/proc/self/ns/pid"));
        Path exchange = Files.createDirectories(dir.resolve("exchange"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path recorded = dir.resolve("argv");
        Files.writeString(bin.resolve("systemd-run"), "#!/bin/bash\nprintf '%s\\0' \"$@\" > " + recorded + "\n: > " + exchange
                + "/build_script.exit-0\n");
        bin.resolve("systemd-run").toFile().setExecutable(true);
        List<String> env = List.of("LEAK=${SYSTEMD_EXEC_PID}:${HOME}:$$x", "EMPTY=", "TRAILING=a=");
        EnteredStages stages = new EnteredStages(ns, ProcessHandle.current().pid(), List.of("pid", "net"), "/b$in/bash", "/wo$rk=",
                env, List.of("MemoryMax=1024"), Optional.empty());
        StageTarget target = new StageTarget(new MachineName("nsr-42"), 42, exchange, Duration.ofSeconds(3), Optional.empty(),
                "1K", Optional.of(stages));
        Path targetFile = dir.resolve("target");
        Files.writeString(targetFile, target.text());
        Path script = Files.writeString(dir.resolve("script"), "true\n");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -euo pipefail; . libexec/run-stage.bash; run_stage \"$@\"",
                "run-stage", targetFile.toString(), script.toString(), "build_script").redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process run = builder.start();
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes());
        assertEquals(0, run.waitFor(), output);
        List<String> argv = Arrays.asList(Files.readString(recorded).split("\0", -1));
        List<String> command = argv.subList(argv.indexOf("--") + 1, argv.size() - 1);
        assertEquals("nsenter", command.get(0));
        // the bound pid namespace, forked into: a dead container's takes no process
        assertTrue(command.contains("--pid=" + ns + "/pid"), command.toString());
        assertTrue(command.stream().noneMatch(a -> a.equals("--no-fork") || a.equals("-F")), command.toString());
        // systemd 252 turns $$ into $ and expands ${VAR}: every $ is doubled, so they arrive as the image says
        assertEquals(List.of("/wo$$rk=", "/b$$in/bash", "LEAK=$${SYSTEMD_EXEC_PID}:$${HOME}:$$$$x", "EMPTY=", "TRAILING=a="),
                command.subList(command.size() - 5, command.size()));
        assertTrue(argv.contains("--setenv=SHELL=/b$in/bash"), argv.toString());
    }

    @Test
    void aHelperStageEntersTheHelperContainerWithNoneOfTheImagesEnvAndOnlyWhileTheMachineLives(@TempDir Path dir) throws Exception {
        Path ns = Files.createDirectories(dir.resolve("ns"));
        Path helperNs = Files.createDirectories(dir.resolve("helper-ns"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of("/proc/self/ns/pid"));
        Files.createSymbolicLink(helperNs.resolve("pid"), Path.of("/proc/self/ns/pid"));
        Path exchange = Files.createDirectories(dir.resolve("exchange"));
        long self = ProcessHandle.current().pid();
        EnteredStages.Helper helper = new EnteredStages.Helper(helperNs, self, List.of("pid=" + helperNs.resolve("pid"),
                "net=" + ns.resolve("net")), "/usr/bin/bash");
        EnteredStages stages = new EnteredStages(ns, self, List.of("pid", "net"), "/bin/bash", "/work", List.of("A=b"),
                List.of("MemoryMax=1024"), Optional.of(helper));
        StageTarget target = new StageTarget(new MachineName("nsr-42"), 42, exchange, Duration.ofSeconds(3), Optional.empty(), "1K",
                Optional.of(stages));
        StageRun fetch = StageRun.of(dir, target, "get_sources");
        assertEquals(0, fetch.exitCode(), fetch.output());
        List<String> command = fetch.command();
        assertEquals(List.of("nsenter", "--pid=" + helperNs.resolve("pid"), "--net=" + ns.resolve("net"), "--mount=/proc/" + self + "/ns/mnt"),
                command.subList(0, 4));
        assertEquals(List.of("/run/nspawn-runner/get_sources.exit-", "/", "/usr/bin/bash"), command.subList(command.size() - 3, command.size()));
        assertTrue(fetch.argv().contains("--setenv=SHELL=/usr/bin/bash") && fetch.argv().contains("--unit=nsr-42-get-sources.service"),
                fetch.argv().toString());
        StageRun build = StageRun.of(dir, target, "build_script");
        assertEquals(List.of("nsenter", "--pid=" + ns.resolve("pid"), "--net=" + ns.resolve("net")), build.command().subList(0, 3));
        assertEquals("A=b", build.command().get(build.command().size() - 1));
        // which set a stage enters does not depend on where the file names the helper's stages
        List<String> lines = new java.util.ArrayList<>(target.text().lines().toList());
        assertTrue(lines.removeIf(line -> line.startsWith("helper_stages=")));
        lines.add(target.text().lines().filter(line -> line.startsWith("helper_stages=")).findFirst().orElseThrow());
        String moved = String.join("\n", lines) + "\n";
        assertEquals(fetch.command(), StageRun.of(dir, target, moved, "get_sources").command());
        assertEquals(build.command(), StageRun.of(dir, target, moved, "build_script").command());
        // the machine's init is gone (its bound pid namespace is another's): no stage starts, in the helper neither
        Files.delete(ns.resolve("pid"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of("/proc/self/ns/net"));
        StageRun orphaned = StageRun.of(dir, target, "archive_cache_on_failure");
        assertEquals(2, orphaned.exitCode(), orphaned.output());
        assertEquals("nspawn-runner: error: stage archive_cache_on_failure in machine nsr-42 (job 42) cannot start: the machine is gone"
                + " (its init " + self + " is not in its pid namespace)", orphaned.output().strip());
        assertEquals(List.of(), orphaned.argv());
        // and the helper's: a helper stage says so
        Files.delete(ns.resolve("pid"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of("/proc/self/ns/pid"));
        Files.delete(helperNs.resolve("pid"));
        Files.createSymbolicLink(helperNs.resolve("pid"), Path.of("/proc/self/ns/net"));
        StageRun helperGone = StageRun.of(dir, target, "upload_artifacts_on_success");
        assertTrue(helperGone.output().contains("cannot start: its helper container is gone"), helperGone.output());
        assertEquals(0, StageRun.of(dir, target, "after_script").exitCode());
    }
}
