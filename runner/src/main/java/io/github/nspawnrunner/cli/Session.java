package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.systemd.SystemBus;
import io.github.nspawnrunner.systemd.SystemBusConnect;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What every command starts from: gitlab-runner's environment, the admin's config, a log, and
 * where output goes. Failures become lines and exit codes in {@link Failures}.
 */
record Session(ExecutorEnvironment environment, Log log, PrintStream out, Path configFile, Supplier<SystemBusConnect> bus) {
    /** A connection of its own, opened while the command reads its config (no lambda: start-up time). */
    private static final Supplier<SystemBusConnect> OWN_CONNECTION = new Supplier<>() {
        @Override
        public SystemBusConnect get() {
            return SystemBusConnect.start();
        }
    };

    /** gitlab-runner's calls on their fast path: this process's environment and standard streams. */
    static Session create(Path configFile, boolean verbose) {
        return create(System.getenv(), System.out, System.err, configFile, verbose);
    }

    static Session create(Map<String, String> environment, PrintStream out, PrintStream err, Path configFile, boolean verbose) {
        return new Session(ExecutorEnvironment.from(environment), new Log(err, verbose), out, configFile, OWN_CONNECTION);
    }

    /** A call the executor service runs: the caller's environment, its output captured, the service's bus. */
    static Session forService(Map<String, String> environment, PrintStream out, PrintStream err, SystemBus bus) {
        return new Session(ExecutorEnvironment.from(environment), new Log(err, false), out, null,
                () -> SystemBusConnect.of(bus.borrowed()));
    }

    SystemBusConnect connectBus() {
        return bus.get();
    }

    RunnerConfig config() {
        return new ConfigLoader(environment.variables()).load(configFile);
    }

    /** Runs one of gitlab-runner's calls: a failure becomes one logged line and gitlab-runner's matching exit code. */
    int guard(ToIntFunction<Session> action) {
        try {
            return action.applyAsInt(this);
        } catch (RuntimeException e) {
            Failures.report(log, e);
            return Failures.forGitlabRunner(e, environment);
        }
    }
}
