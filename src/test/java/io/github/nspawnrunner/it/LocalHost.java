package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** This machine itself, when its PID 1 is systemd: nspawn-runner runs as on a real runner host. */
public final class LocalHost implements Host {
    private final Path projectDir;
    private final Path workDir;
    private final Path chrootsDir;

    public LocalHost(Path projectDir, Path workDir, Path chrootsDir) throws IOException {
        this.projectDir = projectDir;
        this.workDir = workDir;
        this.chrootsDir = chrootsDir;
        Files.createDirectories(workDir.resolve("jobs"));
        Files.createDirectories(workDir.resolve("state"));
    }

    public static boolean isSystemdHost() {
        try {
            return Files.readString(Path.of("/proc/1/comm")).trim().equals("systemd");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public RunnerProcess start(List<String> argv, Map<String, String> environment, String workingDirectory) {
        List<String> command = new ArrayList<>(List.of("env", "-i", "--chdir=" + workingDirectory));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.add("setsid");
        command.addAll(argv);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // env and setsid exec in place: the process itself leads the new group
            return new RunnerProcess(process, process::pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String cli() {
        return projectDir.resolve("bin/nspawn-runner").toString();
    }

    @Override
    public String javaHome() {
        return System.getProperty("java.home");
    }

    @Override
    public String jobsRootInside() {
        return workDir.resolve("jobs").toString();
    }

    @Override
    public Path jobsRootOutside() {
        return workDir.resolve("jobs");
    }

    @Override
    public Path stateDirOutside() {
        return workDir.resolve("state");
    }

    @Override
    public Map<String, String> runnerEnvironment() {
        return Map.of("NSPAWN_RUNNER_STATE_DIR", stateDirOutside().toString(),
                "NSPAWN_RUNNER_CHROOTS_DIR", chrootsDir.toString());
    }
}
