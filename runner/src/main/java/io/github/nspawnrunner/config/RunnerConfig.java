package io.github.nspawnrunner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * @param network          how job containers are networked
 * @param networkDeny      destinations a private-network job may not reach, beside the host itself
 * @param networkPool      IPv4 network from which each private-network job gets a /30 of its own
 * @param userNamespace    container root is an unprivileged range of host UIDs
 * @param limits           the limits of a job that asks for none
 * @param limitsAllowed    the most a job may ask for with NSPAWN_RUNNER_<LIMIT> job variables
 * @param profiles         what jobs may get beyond that, by name (NSPAWN_RUNNER_PROFILE)
 * @param deviceWait       how long a job waits for an exclusive device that another job holds
 * @param images           which OCI images jobs may name, the image cache's budget and the pull policy
 * @param chrootFollow     chroot name to the image reference `chroot follow NAME` keeps it at ([chroot_follow])
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
        NetworkMode network,
        List<Cidr> networkDeny,
        Cidr networkPool,
        boolean userNamespace,
        ResourceLimits limits,
        ResourceLimits limitsAllowed,
        Profiles profiles,
        Duration deviceWait,
        ImageSettings images,
        Map<String, String> chrootFollow) {

    public static final Path DEFAULT_FILE = Path.of("/etc/nspawn-runner/nspawn-runner.toml");

    public RunnerConfig {
        chrootVariables = List.copyOf(chrootVariables);
        networkDeny = List.copyOf(networkDeny);
        chrootFollow = Map.copyOf(chrootFollow);
    }

    /** This config as a job on PROFILE sees it: the profile's network, user namespace and limits. */
    public RunnerConfig forProfile(Profile profile) {
        return new RunnerConfig(chrootsDir, stateDir, defaultChroot, chrootVariables, machinePrefix, prepareTimeout, stopGrace,
                gitlabRunnerBinary, leanBoot, profile.network(), networkDeny, networkPool, profile.userNamespace(),
                profile.limits(), profile.limitsAllowed(), profiles, deviceWait, images, chrootFollow);
    }

    public Path jobsDir() {
        return stateDir.resolve("jobs");
    }

    /** Unpacked OCI images, by manifest digest (image/ImageLayout). */
    public Path imagesDir() {
        return stateDir.resolve("images");
    }

    public Path cachesDir() {
        return stateDir.resolve("cache");
    }
}
