package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.systemd.ResourceControl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An image job's slice: named after its machine, nested as systemd nests it, and where its stages' units start. */
class JobSliceTest {
    private static final JobPaths PATHS = new JobPaths(Path.of("/var/lib/nspawn-runner/state/jobs/nsr-42"));
    private static final ResourceControl LIMITS = new ResourceControl(ContainerResources.DEVICES, 64L << 20, 50, 100, 100);

    @Test
    void theSliceIsNamedAfterTheMachineAndNestedInItsPrefixesSlice() {
        MachineName machine = new MachineName("nsr-42");
        assertEquals("nsr-42.slice", machine.slice());
        assertEquals("nsr.slice/nsr-42.slice", machine.sliceCgroup());
        assertEquals("a.slice/a-b.slice/a-b-7.slice", new MachineName("a-b-7").sliceCgroup());
        assertEquals("solo.slice", new MachineName("solo").sliceCgroup());
    }

    @Test
    void stagesStartInTheJobsSliceAndTheLauncherLearnsItsCgroup() {
        EnteredStages stages = EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/work", List.of(), LIMITS)
                .inSlice(new MachineName("nsr-42"));
        assertTrue(stages.properties().contains("Slice=nsr-42.slice"), stages.properties().toString());
        assertTrue(stages.properties().contains("MemoryMax=67108864"), "the stage keeps its own limits as well");
        assertTrue(stages.text().contains("\nproperty=Slice=nsr-42.slice\n") && stages.text().contains("\nslice_cgroup=nsr.slice/nsr-42.slice\n"),
                stages.text());
        assertTrue(EnteredStages.of("img", PATHS, 7, true, true, "/bin/bash", "/work", List.of(), LIMITS).text().lines()
                .noneMatch(line -> line.startsWith("slice_cgroup=")));
    }
}
