package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One CI job, driven through nspawn-runner exactly as gitlab-runner's custom executor drives it
 * (executors/custom and common/build.go, 17.x-19.x): a per-job TMPDIR holding response.json
 * and one scriptNNN/script per stage, the same environment, arguments and stage order.
 */
public final class SimulatedJob {
    public static final String PROJECT_DIR = "/builds/group/project";
    static final List<String> STAGE_ORDER = List.of("prepare_script", "get_sources", "restore_cache",
            "download_artifacts", "build_script", "after_script", "archive_cache", "archive_cache_on_failure",
            "upload_artifacts_on_success", "upload_artifacts_on_failure", "cleanup_file_variables");

    private final Host host;
    private final long id;
    private final long projectId;
    private final String tmpInside;
    private final Path tmpOutside;
    private final Map<String, String> jobVariables = new LinkedHashMap<>();
    private final Map<String, String> runnerSettings = new LinkedHashMap<>();
    private final AtomicInteger scripts = new AtomicInteger();
    private Duration prepareRetryDelay = Duration.ofSeconds(3);
    private String launcher;

    public SimulatedJob(Host host, long id, long projectId) {
        this.host = host;
        this.id = id;
        this.projectId = projectId;
        String dirName = "custom-executor-" + id + "-" + System.nanoTime();
        this.tmpInside = host.jobsRootInside() + "/" + dirName;
        this.tmpOutside = host.jobsRootOutside().resolve(dirName);
        jobVariables.put("CI_JOB_ID", Long.toString(id));
        jobVariables.put("CI_PROJECT_ID", Long.toString(projectId));
        jobVariables.put("CI_RUNNER_ID", "1");
        jobVariables.put("CI_CONCURRENT_ID", "0");
        jobVariables.put("CI_PROJECT_DIR", PROJECT_DIR);
        jobVariables.put("CI_BUILDS_DIR", "/builds");
        try {
            Files.createDirectories(tmpOutside);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long id() {
        return id;
    }

    public String machine() {
        return "nsr-" + id;
    }

    /** A variable as the job's .gitlab-ci.yml sets it (arrives as CUSTOM_ENV_NAME). */
    public SimulatedJob variable(String name, String value) {
        jobVariables.put(name, value);
        return this;
    }

    /** A setting of the runner's admin (environment of the executables, e.g. NSPAWN_RUNNER_*); it wins over gitlab-runner's own. */
    public SimulatedJob runnerSetting(String name, String value) {
        runnerSettings.put(name, value);
        return this;
    }

    /** The launcher gitlab-runner is configured with, when not the project's own (an installation elsewhere). */
    public SimulatedJob launcher(String path) {
        this.launcher = path;
        return this;
    }

    /** `run SCRIPT STAGE` with a script path of the caller's choosing (a bad one, say). */
    public ExecResult runScriptAt(String script, String stage) {
        return executable("run", script, stage);
    }

    /** gitlab-runner's per-job temp dir as seen on the host. */
    public String tmpDirInside() {
        return tmpInside;
    }

    public SimulatedJob prepareRetryDelay(Duration delay) {
        this.prepareRetryDelay = delay;
        return this;
    }

    Map<String, String> environment() {
        writeResponse();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("JAVA_HOME", host.javaHome());
        env.put("LANG", "C.UTF-8");
        env.putAll(host.runnerEnvironment());
        env.put("TMPDIR", tmpInside);
        env.put("BUILD_FAILURE_EXIT_CODE", "1");
        env.put("SYSTEM_FAILURE_EXIT_CODE", "2");
        env.put("BUILD_EXIT_CODE_FILE", tmpInside + "/build_exit_code");
        env.put("JOB_RESPONSE_FILE", tmpInside + "/response.json");
        env.putAll(runnerSettings);
        jobVariables.forEach((name, value) -> env.put("CUSTOM_ENV_" + name, value));
        env.put("CUSTOM_ENV_CI_JOB_SERVICES", "");
        return env;
    }

    private void writeResponse() {
        StringBuilder variables = new StringBuilder();
        jobVariables.forEach((name, value) -> variables.append(variables.length() == 0 ? "" : ",")
                .append("{\"key\":").append(json(name)).append(",\"value\":").append(json(value))
                .append(",\"public\":true,\"file\":false,\"masked\":false,\"raw\":false}"));
        String image = jobVariables.getOrDefault("CI_JOB_IMAGE", "");
        String response = "{\"id\":" + id + ",\"token\":\"glcbt-secret\",\"allow_git_fetch\":true,"
                + "\"job_info\":{\"name\":\"test\",\"stage\":\"test\",\"project_id\":" + projectId
                + ",\"project_name\":\"project\"},\"runner_info\":{\"timeout\":3600},\"inputs\":{},"
                + "\"variables\":[" + variables + "],\"steps\":[{\"name\":\"script\",\"script\":[\"true\"]}],"
                + "\"image\":{\"name\":" + json(image) + "},\"services\":[],\"features\":{\"trace_sections\":true}}\n";
        write(tmpOutside.resolve("response.json"), response);
    }

    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ExecResult executable(String... args) {
        return host.exec(command(args), environment(), tmpInside);
    }

    private List<String> command(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(launcher == null ? host.cli() : launcher));
        argv.addAll(List.of(args));
        return argv;
    }

    public ExecResult config() {
        return executable("config");
    }

    public ExecResult prepare() {
        return executable("prepare");
    }

    public ExecResult cleanup() {
        return executable("cleanup");
    }

    /** Starts prepare without waiting for it (to do something while it runs). */
    public RunnerProcess startPrepare() {
        return host.start(command("prepare"), environment(), tmpInside);
    }

    /** Writes BODY as gitlab-runner's stage script and starts `run <script> <stage>`. */
    public RunnerProcess startStage(String stage, String body) {
        String scriptDir = "script" + (1000 + scripts.incrementAndGet());
        Path dir = tmpOutside.resolve(scriptDir);
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("script");
            Files.writeString(script, StageScript.wrap(preamble(stage) + body));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return host.start(command("run", tmpInside + "/" + scriptDir + "/script", stage), environment(), tmpInside);
    }

    public ExecResult runStage(String stage, String body) {
        return startStage(stage, body).await(Duration.ofMinutes(3));
    }

    /** Runs a long build_script and kills the job's machine (its container's init) under it: the stage's end. */
    public ExecResult buildScriptUnderAKilledMachine() {
        RunnerProcess stage = startStage("build_script", "echo started; sleep 1000");
        stage.awaitOutput("started", Duration.ofSeconds(30));
        host.shell("systemctl kill --signal=KILL " + machine() + ".service");
        return stage.await(Duration.ofSeconds(30));
    }

    /** What gitlab-runner puts before every stage body: the job's variables, and cd into the project but for these three. */
    private String preamble(String stage) {
        StringBuilder preamble = new StringBuilder();
        jobVariables.forEach((name, value) -> preamble.append("export ").append(name).append("=")
                .append("'").append(value.replace("'", "'\\''")).append("'\n"));
        if (!List.of("prepare_script", "get_sources", "cleanup_file_variables").contains(stage)) {
            preamble.append("mkdir -p ").append(PROJECT_DIR).append("\ncd ").append(PROJECT_DIR).append("\n");
        }
        return preamble.toString();
    }

    /** gitlab-runner's per-job temp dir (TMPDIR, and where JOB_RESPONSE_FILE is), as seen from outside the host. */
    public Path tmpDir() {
        return tmpOutside;
    }

    public Optional<Integer> buildExitCode() {
        Path file = tmpOutside.resolve("build_exit_code");
        try {
            return Files.exists(file) ? Optional.of(Integer.parseInt(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole job: config, prepare (retried like gitlab-runner), the given stages in gitlab-runner's
     * order and with its rules for what runs after a failure, and cleanup always.
     */
    public JobRun run(Map<String, String> stageBodies) {
        JobRun.Builder run = new JobRun.Builder();
        run.config = config();
        if (run.config.exitCode() == 0) {
            run.prepare = prepareWithRetries();
            if (run.prepare.exitCode() == 0) {
                runStages(stageBodies, run);
            }
        }
        run.cleanup = cleanup();
        return run.build();
    }

    private ExecResult prepareWithRetries() {
        ExecResult result = prepare();
        for (int attempt = 2; attempt <= 3 && result.exitCode() != 0 && result.exitCode() != 1; attempt++) {
            cleanup();
            sleep(prepareRetryDelay);
            result = prepare();
        }
        return result;
    }

    private void runStages(Map<String, String> bodies, JobRun.Builder run) {
        boolean failed = false;
        boolean sourcesFailed = false;
        for (String stage : STAGE_ORDER) {
            if (!bodies.containsKey(stage) || !shouldRun(stage, failed, sourcesFailed)) {
                continue;
            }
            ExecResult result = runStage(stage, bodies.get(stage));
            run.stages.put(stage, result);
            if (result.exitCode() != 0) {
                if (stage.equals("prepare_script")) {
                    run.failed = true;
                    return;
                }
                if (List.of("get_sources", "restore_cache", "download_artifacts").contains(stage)) {
                    sourcesFailed = true;
                }
                if (!stage.equals("after_script")) {
                    failed = true;
                }
            }
        }
        run.failed = failed;
    }

    private static boolean shouldRun(String stage, boolean failed, boolean sourcesFailed) {
        return switch (stage) {
            case "restore_cache", "download_artifacts", "build_script" -> !failed;
            case "after_script" -> !sourcesFailed;
            case "archive_cache", "upload_artifacts_on_success" -> !failed;
            case "archive_cache_on_failure", "upload_artifacts_on_failure" -> failed;
            default -> true;
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
