package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.ConfigException;
import io.github.nspawnrunner.config.ConfigLoader;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.executor.ExecutorException;
import io.github.nspawnrunner.executor.Log;
import io.github.nspawnrunner.host.HostCommandException;
import io.github.nspawnrunner.systemd.SystemBus;
import io.github.nspawnrunner.systemd.SystemBusConnect;
import io.github.nspawnrunner.systemd.SystemdException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What every command starts from: gitlab-runner's environment, the admin's config, a log. Also
 * the one place where failures become a one-line message and gitlab-runner's exit code.
 */
record Session(ExecutorEnvironment environment, Log log, PrintStream out, Path configFile, Supplier<SystemBusConnect> bus) {
    /** A connection of its own, opened while the command reads its config (no lambda: start-up time). */
    private static final Supplier<SystemBusConnect> OWN_CONNECTION = new Supplier<>() {
        @Override
        public SystemBusConnect get() {
            return SystemBusConnect.start();
        }
    };

    static Session create(Path configFile, boolean verbose) {
        return new Session(ExecutorEnvironment.from(System.getenv()), new Log(System.err, verbose), System.out,
                configFile, OWN_CONNECTION);
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

    /** For the admin's commands (setup, chroot): 0, or 1 after a one-line error. */
    static final int ADMIN_FAILURE = 1;
    /** For the admin's commands: a config they cannot use is a usage error, 2 like picocli's. */
    static final int ADMIN_CONFIG_FAILURE = 2;

    int guardAdmin(ToIntFunction<Session> action) {
        return guard(action, true);
    }

    /** Runs ACTION, turning any failure into a logged line and gitlab-runner's matching exit code. */
    int guard(ToIntFunction<Session> action) {
        return guard(action, false);
    }

    private int guard(ToIntFunction<Session> action, boolean admin) {
        int status;
        try {
            status = action.applyAsInt(this);
        } catch (ConfigException e) {
            log.failure(e);
            return admin ? ADMIN_CONFIG_FAILURE : environment.systemFailureExitCode();
        } catch (ExecutorException e) {
            log.failure(e);
            status = environment.exitCodeFor(e.kind());
        } catch (SystemdException | HostCommandException | UncheckedIOException e) {
            log.failure(e);
            status = environment.systemFailureExitCode();
        } catch (RuntimeException e) {
            log.failure(new IllegalStateException("internal error: " + e + (log.verbose() ? "" : " (--verbose shows details)"), e));
            status = environment.systemFailureExitCode();
        }
        return admin && status != 0 ? ADMIN_FAILURE : status;
    }
}
