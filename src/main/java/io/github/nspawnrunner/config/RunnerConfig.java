package io.github.nspawnrunner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the runner's admin configured. Every per-job path, unit and machine name is derived from
 * these values and the job's id, never from job variables.
 *
 * @param chrootsDir       a chroot named N is the directory {@code <chrootsDir>/N}
 * @param stateDir         per-job overlays and the per-project caches live here
 * @param defaultChroot    the chroot of a job that names none
 * @param chrootVariables  job variables that may name a chroot, first non-empty wins
 * @param machinePrefix    machine names are {@code <prefix>-<job id>}; distinct per runner instance
 * @param prepareTimeout   how long prepare waits for the container to boot
 * @param stopGrace        how long a cancelled stage's processes get between SIGTERM and SIGKILL
 * @param gitlabRunnerBinary bind-mounted read-only into every container when it exists
 * @param leanBoot         job containers boot without logind, gettys, timers and most generators
 * @param userNamespace    job containers' uids map to an unprivileged range of host uids
 */
public record RunnerConfig(
        Path chrootsDir,
        Path stateDir,
        String defaultChroot,
        List<String> chrootVariables,
        String machinePrefix,
        Duration prepareTimeout,
        Duration stopGrace,
        Path gitlabRunnerBinary,
        boolean leanBoot,
        boolean userNamespace) {

    public static final Path DEFAULT_FILE = Path.of("/etc/nspawn-runner/nspawn-runner.conf");

    public RunnerConfig {
        chrootVariables = List.copyOf(chrootVariables);
    }

    public Path jobsDir() {
        return stateDir.resolve("jobs");
    }

    public Path cachesDir() {
        return stateDir.resolve("cache");
    }
}
