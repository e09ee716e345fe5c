package io.github.nspawnrunner.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A machine whose PID 1 is systemd, where nspawn-runner is run the way gitlab-runner runs it:
 * either this machine itself or a booted test host container.
 */
public interface Host {
    /** Starts ARGV in its own session and process group (as gitlab-runner does), stdin /dev/null. */
    RunnerProcess start(List<String> argv, Map<String, String> environment, String workingDirectory);

    /** Runs ARGV to its end (with a timeout) and returns what it printed. */
    default ExecResult exec(List<String> argv, Map<String, String> environment, String workingDirectory) {
        return start(argv, environment, workingDirectory).await(java.time.Duration.ofMinutes(3));
    }

    /** A shell command on the host, as root, for checks and sabotage. */
    default ExecResult shell(String command) {
        return exec(List.of("/bin/bash", "-c", command), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "/");
    }

    /** The nspawn-runner launcher as seen on the host. */
    String cli();

    /** JAVA_HOME as seen on the host. */
    String javaHome();

    /** Where per-job temp dirs (gitlab-runner's TMPDIR) live: on the host, and from this JVM. */
    String jobsRootInside();

    Path jobsRootOutside();

    /** The executor's state dir as seen from this JVM (to check for leftovers). */
    Path stateDirOutside();

    /** Environment the runner's admin gives nspawn-runner on this host (config overrides). */
    Map<String, String> runnerEnvironment();
}
