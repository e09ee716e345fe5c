package io.github.nspawnrunner.lava;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The two commands, {@code submit} and {@code monitor-file}, from input to outcome. Everything
 * the user gave is checked before the first request. A command returns the exit code of how its
 * jobs ended, or throws: {@link LavaInputException}, {@link LavaServerException}, an I/O failure,
 * or {@link InterruptedException} on an abort; the CLI (lava/cli) turns those into one line and
 * an exit code of {@link LavaExitCode}.
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

    public LavaExitCode submit(String definitionFile) throws InterruptedException {
        JobDefinitionFile definition = JobDefinitionFile.read(runtime.workDir(), definitionFile);
        LavaSettings settings = LavaSettings.resolve(environment, flags);
        JobFiles.requireWritable(runtime.workDir());
        return new SubmitAndFollow(api(settings), settings, runtime, console, abortPolicy(settings, true)).run(definition);
    }

    public LavaExitCode monitorFile(String jobIdsFile) throws InterruptedException {
        JobIdsFile ids = JobIdsFile.read(runtime.workDir(), jobIdsFile);
        LavaSettings settings = LavaSettings.resolve(environment, flags);
        JobFiles.requireWritable(runtime.workDir());
        return new MonitorJobs(api(settings), settings, runtime, console, abortPolicy(settings, false)).run(ids.jobs());
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
}
