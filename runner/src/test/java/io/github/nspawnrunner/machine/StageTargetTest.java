package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageTargetTest {
    @TempDir
    Path gitlabTempDir;

    private final StageTarget target = new StageTarget(new MachineName("nsr-42"), 42,
            Path.of("/var/lib/nspawn-runner/state/jobs/nsr-42/exchange"), Duration.ofSeconds(3),
            Optional.of(Path.of("/sys/fs/cgroup/machine.slice/nsr-42.service/memory.events")), "memory_max 2G (up to 4G)",
            Optional.empty());

    @Test
    void livesBesideTheJobResponseFile() {
        assertEquals(gitlabTempDir.resolve("nspawn-runner-stage-target"),
                StageTarget.fileFor(gitlabTempDir.resolve("response.json")));
    }

    @Test
    void isWrittenAsTheKeyValueLinesTheLauncherReads() throws IOException {
        Path file = StageTarget.fileFor(gitlabTempDir.resolve("response.json"));
        Files.writeString(file, "machine=nsr-1\n");
        target.write(file);
        assertEquals(List.of("machine=nsr-42", "job=42", "exchange=/var/lib/nspawn-runner/state/jobs/nsr-42/exchange",
                "stop_grace_ms=3000", "oom_counter=/sys/fs/cgroup/machine.slice/nsr-42.service/memory.events",
                "memory_limit=memory_max 2G (up to 4G)", "describe=machine nsr-42 (job 42)", "unit_prefix=nspawn-runner-",
                "unit_machine=nsr-42", "marker_dir=/run/nspawn-runner", "setenv=HOME=/root", "setenv=USER=root", "setenv=LOGNAME=root",
                "setenv=LANG=C.UTF-8", "workdir=/root", "bash=/bin/bash"), Files.readAllLines(file));
        assertEquals(List.of(file), Files.list(gitlabTempDir).toList(), "no partial file left beside it");
        StageTarget.remove(file);
        StageTarget.remove(file);
        assertFalse(Files.exists(file));
    }
}
