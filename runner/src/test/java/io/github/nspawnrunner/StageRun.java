package io.github.nspawnrunner;

import io.github.nspawnrunner.machine.StageTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * libexec/run-stage.bash run for real on a stage target file that Java wrote, with a systemd-run
 * on PATH that records its arguments instead of starting a unit and leaves the exit marker a
 * stage of status 0 would.
 *
 * @param exitCode the launcher's
 * @param output   its stdout and stderr
 * @param argv     what systemd-run was given; empty when it did not run
 */
record StageRun(int exitCode, String output, List<String> argv) {
    /** The command systemd-run runs: after its "--". */
    List<String> command() {
        return argv.subList(argv.indexOf("--") + 1, argv.size());
    }

    /** STAGE run from TARGET's file, written in DIR. */
    static StageRun of(Path dir, StageTarget target, String stage) throws IOException, InterruptedException {
        return of(dir, target, target.text(), stage);
    }

    /** STAGE run from TEXT as TARGET's file (its lines in another order, say), written in DIR. */
    static StageRun of(Path dir, StageTarget target, String text, String stage) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path recorded = dir.resolve("argv");
        Files.deleteIfExists(recorded);
        Files.writeString(bin.resolve("systemd-run"), "#!/bin/bash\nprintf '%s\\0' \"$@\" > '" + recorded + "'\n: > '"
                + target.exchangeDir() + "/" + stage + ".exit-0'\n");
        bin.resolve("systemd-run").toFile().setExecutable(true);
        Path targetFile = dir.resolve(StageTarget.FILE_NAME);
        Files.writeString(targetFile, text);
        Path script = Files.writeString(dir.resolve("script"), "true\n");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -euo pipefail; . libexec/run-stage.bash; run_stage \"$@\"",
                "run-stage", targetFile.toString(), script.toString(), stage).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process run = builder.start();
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exitCode = run.waitFor();
        if (!Files.exists(recorded)) {
            return new StageRun(exitCode, output, List.of());
        }
        // printf ends every argument with \0, the last one too
        List<String> fields = Arrays.asList(Files.readString(recorded).split("\0", -1));
        return new StageRun(exitCode, output, fields.subList(0, fields.size() - 1));
    }
}
