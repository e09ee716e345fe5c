package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.executor.ExecutorException;
import io.github.nspawnrunner.executor.FailureKind;
import io.github.nspawnrunner.executor.Log;
import io.github.nspawnrunner.systemd.MachineShell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one stage script in the job's machine and maps the result onto gitlab-runner's exit-code
 * contract. This is the hot path of the product (about nine times per job): it loads no D-Bus,
 * and the script's output goes straight from the container to gitlab-runner's pipe. It has no
 * lambdas either: the first use of each costs a short-lived JVM measurable start-up time.
 * <p>
 * The script's exit status is written by a wrapper into the exchange dir, because systemd-run's
 * own exit status cannot tell a script that failed from a machine that died under it (it
 * returns 0 when the machine is killed).
 */
public final class RunStage {
    private static final String WRAPPER = "/bin/bash \"$0\"; echo \"$?\" > \"$1\"";
    private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

    private final JobContext context;
    private final MachineShell shell;
    private final Log log;

    public RunStage(JobContext context, MachineShell shell, Log log) {
        this.context = context;
        this.shell = shell;
        this.log = log;
    }

    /** Returns the exit code for gitlab-runner: 0, or the build-failure code (exit status in BUILD_EXIT_CODE_FILE). */
    public int run(Path script, StageName stage) {
        Path exchange = context.paths().exchangeDir();
        if (!Files.isDirectory(exchange)) {
            throw ExecutorException.system(context.describe() + " is not prepared (no " + exchange
                    + "): prepare failed or cleanup already ran");
        }
        Path scriptCopy = exchange.resolve(stage + ".sh");
        Path status = exchange.resolve(stage + ".status");
        stageScript(script, scriptCopy, status);

        String container = JobPaths.CONTAINER_EXCHANGE_DIR + "/";
        // the hook is in place before the stage starts: a SIGTERM right after start must still stop it
        AtomicReference<Process> started = new AtomicReference<>();
        Thread cancel = new Thread("cancel-stage") {
            @Override
            public void run() {
                cancel(stage, started);
            }
        };
        Runtime.getRuntime().addShutdownHook(cancel);
        Process process = shell.start(context.machine().value(), stage.unit(), context.config().stopGrace(),
                List.of("/bin/bash", "-c", WRAPPER, container + scriptCopy.getFileName(), container + status.getFileName()));
        started.set(process);
        int systemdRunStatus = waitFor(process);
        leaveCancellationToHookIfRunning(cancel);

        OptionalInt exitStatus = readStatus(status);
        if (exitStatus.isEmpty()) {
            throw ExecutorException.system("stage " + stage + " in " + context.describe()
                    + " ended without an exit status: the machine is gone or the stage was killed"
                    + " (systemd-run exited " + systemdRunStatus + ")");
        }
        if (exitStatus.getAsInt() == 0) {
            return 0;
        }
        recordBuildExitCode(exitStatus.getAsInt());
        return context.environment().exitCodeFor(FailureKind.BUILD);
    }

    private void stageScript(Path script, Path scriptCopy, Path status) {
        try {
            Files.deleteIfExists(status);
            Files.copy(script, scriptCopy, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw ExecutorException.system("stage script " + script + " does not exist");
        } catch (IOException e) {
            throw ExecutorException.system("cannot hand stage script " + script + " to " + context.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** gitlab-runner's cancel and timeout: SIGTERM to our process group, then SIGKILL after a grace period. */
    private void cancel(StageName stage, AtomicReference<Process> started) {
        Duration grace = context.config().stopGrace();
        log.info("stage " + stage + " of " + context.describe() + " cancelled: stopping its processes (SIGKILL after "
                + grace.toMillis() + " ms)");
        boolean stopped = shell.stop(context.machine().value(), stage.unit(), grace.plus(STOP_MARGIN));
        Process process = started.get();
        if (process != null) {
            process.destroy();
        }
        if (!stopped) {
            log.info("could not confirm that stage " + stage + " of " + context.describe() + " stopped");
        }
        Runtime.getRuntime().halt(context.environment().exitCodeFor(FailureKind.BUILD));
    }

    /**
     * Once shutdown has begun (SIGTERM), the hook owns the exit: it halts the JVM after stopping
     * the stage, so this thread must not race it with a misleading "no exit status" error.
     */
    private static void leaveCancellationToHookIfRunning(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep waiting for the hook to halt the JVM
                }
            }
        }
    }

    private static int waitFor(Process process) {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // only the shutdown hook ends this wait, by halting the JVM
            }
        }
    }

    /**
     * The exchange dir is writable from inside the container: the status file is read only when
     * it is a small regular file, never through a link or from a FIFO a job put there.
     */
    private static OptionalInt readStatus(Path status) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(status, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() > 16) {
                return OptionalInt.empty();
            }
            try (var channel = Files.newByteChannel(status, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.allocate(16);
                channel.read(buffer);
                return OptionalInt.of(Integer.parseInt(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim()));
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private void recordBuildExitCode(int exitStatus) {
        var file = context.environment().buildExitCodeFile();
        if (file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(file.get(), exitStatus + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw ExecutorException.system("cannot write BUILD_EXIT_CODE_FILE " + file.get() + ": " + e.getMessage(), e);
        }
    }

}
