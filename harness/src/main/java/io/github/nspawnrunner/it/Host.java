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

    /** The launcher run by the host's admin (setup, service, chroot commands): root, a plain PATH, this JDK. */
    default ExecResult adminCli(String... arguments) {
        List<String> argv = new java.util.ArrayList<>(List.of(cli()));
        argv.addAll(List.of(arguments));
        return exec(argv, Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME", javaHome()), "/");
    }

    /** The nspawn-runner launcher as seen on the host. */
    String cli();

    /** JAVA_HOME as seen on the host: this JVM's, which every host shares. */
    default String javaHome() {
        return System.getProperty("java.home");
    }

    /** This JVM's directory for the host's state dir ("state") and the jobs' temp dirs ("jobs"). */
    Path workDir();

    /** Where per-job temp dirs (gitlab-runner's TMPDIR) live, as seen on the host. */
    String jobsRootInside();

    default Path jobsRootOutside() {
        return workDir().resolve("jobs");
    }

    /** The executor's state dir as seen from this JVM (to check for leftovers). */
    default Path stateDirOutside() {
        return workDir().resolve("state");
    }

    /**
     * The URL at which this host and its jobs reach LOOPBACKURL, a server on this machine's
     * 127.0.0.1 (a LAVA server, a fake one): across the test host's "lab network", since jobs with
     * a private network cannot reach a host's loopback.
     */
    default String urlFromInside(String loopbackUrl) {
        return loopbackUrl;
    }

    /** Environment the runner's admin gives nspawn-runner on this host (config overrides). */
    Map<String, String> runnerEnvironment();

    static void createWorkDir(Path workDir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(workDir.resolve("jobs"));
        java.nio.file.Files.createDirectories(workDir.resolve("state"));
    }

    /**
     * A process that runs ARGV with exactly ENVIRONMENT, in WORKINGDIRECTORY, as leader of a new
     * session and process group, behind PREFIX (nsenter into a test host, say): env and setsid
     * exec in place, so the group leader is the process that runs ARGV. The environment travels
     * as environment, as gitlab-runner passes it: a job variable in a command line would be
     * readable by every user (see SecretsIT).
     */
    static ProcessBuilder inNewSession(List<String> prefix, List<String> argv, Map<String, String> environment,
            String workingDirectory) {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("env", "--chdir=" + workingDirectory, "setsid"));
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }
}
