package io.github.nspawnrunner.lava;

import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The two commands, {@code submit} and {@code monitor-file}, from input to exit code. Everything
 * the user gave is checked before the first request; failures become one line on stderr and the
 * exit codes of {@link LavaExitCode}.
 */
public final class LavaClient {
    /** Time for the cancel requests themselves on top of the wait for the jobs to end. */
    private static final Duration CANCEL_MARGIN = Duration.ofSeconds(10);

    private final Map<String, String> environment;
    private final LavaFlags flags;
    private final LavaRuntime runtime;
    private final LavaConsole console;
    private final AbortSignal abort;

    /** ABORT is how SIGTERM/SIGINT reach the command (the CLI's shutdown hook, or a test). */
    public LavaClient(Map<String, String> environment, LavaFlags flags, LavaRuntime runtime, AbortSignal abort) {
        this.environment = Map.copyOf(environment);
        this.flags = flags;
        this.runtime = runtime;
        this.console = runtime.console();
        this.abort = abort;
    }

    public int submit(String definitionFile) {
        return guard(() -> {
            JobDefinitionFile definition = JobDefinitionFile.read(runtime.workDir(), definitionFile);
            LavaSettings settings = LavaSettings.resolve(environment, flags);
            JobFiles.requireWritable(runtime.workDir());
            return new SubmitAndFollow(api(settings), settings, runtime, console, abortPolicy(settings, true)).run(definition);
        });
    }

    public int monitorFile(String jobIdsFile) {
        return guard(() -> {
            JobIdsFile ids = JobIdsFile.read(runtime.workDir(), jobIdsFile);
            LavaSettings settings = LavaSettings.resolve(environment, flags);
            JobFiles.requireWritable(runtime.workDir());
            return new MonitorJobs(api(settings), settings, runtime, console, abortPolicy(settings, false)).run(ids.jobs());
        });
    }

    /** submit cancels what it submitted by default; monitor-file leaves others' jobs alone by default. */
    private AbortPolicy abortPolicy(LavaSettings settings, boolean cancelByDefault) {
        // the hook waits for the cancel requests, the bounded wait, and a margin for slow answers
        abort.patience(settings.cancelWait().plus(CANCEL_MARGIN));
        return settings.cancelOnAbort().orElse(cancelByDefault) ? new CancelJobs(runtime.ticker(), settings.cancelWait())
                : AbortPolicy.LEAVE_RUNNING;
    }

    private LavaApi api(LavaSettings settings) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(runtime.connectTimeout())
                // a redirect could carry the token to another host: LAVA_URL must name the server itself
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        RequestBudget budget = new RequestBudget(runtime.ticker(), settings.maxRequestsPerMinute());
        LavaHttp http = new LavaHttp(client, settings.endpoint(), settings.token(), budget, runtime.ticker(), console.log(),
                runtime.requestTimeout());
        return new RestLavaApi(http, settings.retry(), console.log());
    }

    /** A command body that may be interrupted. */
    interface Command {
        LavaExitCode run() throws InterruptedException;
    }

    private int guard(Command command) {
        abort.attach();
        LavaExitCode code;
        try {
            code = command.run();
        } catch (LavaInputException e) {
            code = fail(e, LavaExitCode.BAD_INPUT);
        } catch (LavaServerException | UncheckedIOException e) {
            code = fail(e, LavaExitCode.SERVER_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = fail(new IllegalStateException(abort.requested() ? "interrupted (SIGTERM or SIGINT)" : "interrupted"),
                    LavaExitCode.INTERRUPTED);
        } catch (RuntimeException e) {
            code = fail(new IllegalStateException("internal error: " + e
                    + (runtime.verbose() ? "" : " (--verbose shows details)"), e), LavaExitCode.SERVER_ERROR);
        }
        runtime.out().flush();
        abort.finished(code.code());
        return code.code();
    }

    private LavaExitCode fail(Exception e, LavaExitCode code) {
        console.log().failure(e);
        return code;
    }
}
