package io.github.nspawnrunner.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * bin/sample-job: one CI job through config, prepare, every stage and cleanup, printed the way a
 * job log shows it. Runs on this machine when its PID 1 is systemd, else in a booted test host.
 */
public final class SampleJob {
    private SampleJob() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        Path chroot = Path.of(args[1]);
        Path work = project.resolve("target/sample-job");
        new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
        boolean local = args.length < 3 || args[2].isEmpty();
        if (local) {
            Path chroots = work.resolve("chroots");
            java.nio.file.Files.createDirectories(chroots);
            java.nio.file.Files.createSymbolicLink(chroots.resolve("bookworm"), chroot);
            // this host as its admin set it up: with the executor service if they installed it
            System.exit(run(new LocalHost(project, work, chroots), false));
        }
        System.err.println("sample-job: PID 1 is not systemd: booting a test host with systemd, D-Bus and machined");
        int status;
        try (TestHost host = TestHost.boot(Path.of(args[2]), project, Map.of("bookworm", chroot), work)) {
            status = run(host, true);
        }
        // only now: System.exit inside the try would skip shutting the test host down
        System.exit(status);
    }

    private static int run(Host host, boolean installService) {
        if (installService) {
            // as 'nspawn-runner setup' does: config, prepare and cleanup then go to the resident service
            ExecResult install = host.adminCli("service", "install");
            print("service install", install);
            if (install.exitCode() != 0) {
                return 1;
            }
        }
        SimulatedJob job = new SimulatedJob(host, 1 + ProcessHandle.current().pid(), 1);
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put("prepare_script", "echo \"Running on $(hostname) via nspawn-runner\"");
        stages.put("get_sources", "mkdir -p " + SimulatedJob.PROJECT_DIR + " && cd " + SimulatedJob.PROJECT_DIR
                + " && git init -q . && printf 'echo hello from the sample project\\n' > build.sh"
                + " && git add build.sh && git -c user.email=ci@example.com -c user.name=CI commit -qm 'sample'"
                + " && git log --oneline");
        stages.put("restore_cache", "ls -la /cache");
        stages.put("build_script", "bash build.sh\n. /etc/os-release && echo \"$PRETTY_NAME, kernel $(uname -r)\"\n"
                + "echo result > artifact.txt");
        stages.put("after_script", "echo after_script sees: $(cat artifact.txt)");
        stages.put("archive_cache", "date > /cache/last-run");
        stages.put("upload_artifacts_on_success", "ls -l artifact.txt");
        stages.put("cleanup_file_variables", "true");

        long start = System.nanoTime();
        JobRun run = job.run(stages);
        print("config", run.config());
        print("prepare", run.prepare());
        run.stages().forEach((stage, result) -> print("run <script> " + stage, result));
        print("cleanup", run.cleanup());
        System.out.printf("%nJob %d %s in %d ms (machine %s)%n", job.id(), run.failed() ? "FAILED" : "succeeded",
                (System.nanoTime() - start) / 1_000_000, job.machine());
        return run.failed() || run.cleanup().exitCode() != 0 ? 1 : 0;
    }

    private static void print(String step, ExecResult result) {
        System.out.printf("%n$ nspawn-runner %s   (exit %d, %d ms)%n", step, result.exitCode(), result.duration().toMillis());
        if (!result.stdout().isEmpty()) {
            System.out.println(result.stdout());
        }
        result.stderrLines().forEach(line -> System.out.println("  [stderr] " + line));
    }
}
