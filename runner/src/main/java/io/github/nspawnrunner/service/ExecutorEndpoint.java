package io.github.nspawnrunner.service;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The object the service exports: checks who calls and for which installation, then runs the
 * call as the CLI would, one call per job at a time, and returns what it printed.
 */
public final class ExecutorEndpoint implements Executor1 {
    /** The calls the service takes; bin/nspawn-runner hands it these (LauncherContractTest). */
    public static final Set<String> VERBS = Set.of("config", "prepare", "cleanup");

    private final CallHandler handler;
    private final CallerLookup callers;
    private final ServedJar jar;
    private final Activity activity;
    private final JobLocks jobs = new JobLocks();
    private final ServiceLog log;

    ExecutorEndpoint(CallHandler handler, CallerLookup callers, ServedJar jar, Activity activity, ServiceLog log) {
        this.handler = handler;
        this.callers = callers;
        this.jar = jar;
        this.activity = activity;
        this.log = log;
    }

    @Override
    public CallReply Call(String verb, String clientJar) {
        if (!VERBS.contains(verb)) {
            throw new NotServed("the service runs config, prepare and cleanup, not '" + verb + "'");
        }
        Caller caller = callers.identify();
        if (!caller.isRoot()) {
            log.info("refused " + verb + " from uid " + caller.uid() + ": only root may call the service");
            throw new NotServed("only root may call the nspawn-runner service, not uid " + caller.uid());
        }
        if (!jar.isSameFileAs(clientJar)) {
            throw new NotServed("the service runs " + jar.jar() + ", not " + clientJar);
        }
        if (jar.changedOnDisk()) {
            activity.requestRestart();
            throw new NotServed(jar.jar() + " changed since the service started: it stops, and the next call starts the new one");
        }
        Map<String, String> environment = caller.environment();
        String jobResponseFile = environment.getOrDefault("JOB_RESPONSE_FILE", "");
        if (caller.seesJobResponseFile() && !Files.exists(Path.of(jobResponseFile))) {
            // e.g. gitlab-runner with a private /tmp: what the service cannot see, a JVM of the caller can.
            // A file the caller does not see either is the call's own error, which it reports itself.
            throw new NotServed("the service cannot see JOB_RESPONSE_FILE " + jobResponseFile
                    + " (does gitlab-runner run in a mount namespace of its own?)");
        }
        if (!activity.begin()) {
            throw new NotServed("the service is stopping; the next call starts it again");
        }
        long start = System.nanoTime();
        try (JobLocks.Held ignored = jobs.lock(jobResponseFile)) {
            return run(verb, environment, start);
        } finally {
            activity.end();
        }
    }

    private CallReply run(String verb, Map<String, String> environment, long start) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = handler.handle(verb, environment, outStream, errStream);
        }
        // the caller's lines, as its log shows them, without their "nspawn-runner: " in the service's
        String messages = err.toString(StandardCharsets.UTF_8).strip().replace("nspawn-runner: ", "");
        log.callEnded(verb, handler.job(environment), exitCode, (System.nanoTime() - start) / 1_000_000, messages.replace('\n', ' '));
        Base64.Encoder base64 = Base64.getEncoder();
        return new CallReply(exitCode, base64.encodeToString(out.toByteArray()), base64.encodeToString(err.toByteArray()));
    }

    @Override
    public String getObjectPath() {
        return OBJECT_PATH;
    }
}
