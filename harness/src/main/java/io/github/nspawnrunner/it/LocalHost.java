package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Host.createWorkDir(workDir);
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
        try {
            Process process = Host.inNewSession(List.of(), argv, environment, workingDirectory).start();
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
    public String jobsRootInside() {
        return workDir.resolve("jobs").toString();
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Map<String, String> runnerEnvironment() {
        return Map.of("NSPAWN_RUNNER_STATE_DIR", stateDirOutside().toString(),
                "NSPAWN_RUNNER_CHROOTS_DIR", chrootsDir.toString());
    }
}
