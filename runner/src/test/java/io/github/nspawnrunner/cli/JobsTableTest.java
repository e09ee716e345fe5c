package io.github.nspawnrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.nspawnrunner.machine.HostJobs;
import io.github.nspawnrunner.machine.JobLabels;
import io.github.nspawnrunner.machine.MachineName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JobsTableTest {
    private static final HostJobs.Job RUNNING = new HostJobs.Job(42, new MachineName("nsr-42"),
            new JobLabels(OptionalLong.of(7), "bookworm", "default", Optional.empty()), "active",
            OptionalLong.of(124_046_131), OptionalLong.empty(), Optional.of(Duration.ofSeconds(187)));

    private static String print(JobsTable table, boolean json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (json) {
            table.printJson(out);
        } else {
            table.print(out, true);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTableShowsWhatAGlanceNeedsAndAColumnPerKnownFact() {
        assertEquals("""
                JOB  PROJECT  MACHINE  CHROOT    STATE   AGE    MEMORY  CPU
                42   7        nsr-42   bookworm  active  3m07s  118.3M  -

                1 jobs listed.
                """, print(new JobsTable(List.of(RUNNING), false), false));
        assertEquals("JOB  PROJECT  MACHINE  CHROOT    PROFILE  STATE   AGE    MEMORY  CPU",
                print(new JobsTable(List.of(RUNNING), true), false).lines().findFirst().orElseThrow());
    }

    @Test
    void jsonHasExactNumbersAndNullForWhatIsUnknown() {
        String json = print(new JobsTable(List.of(RUNNING), false), true);
        assertEquals(true, json.contains("\"memory_bytes\" : 124046131"), json);
        assertEquals(true, json.contains("\"cpu_nanoseconds\" : null"), json);
        assertEquals(true, json.contains("\"age_seconds\" : 187"), json);
        assertEquals(true, json.contains("\"profile\" : \"default\""), json);
    }

    @Test
    void durationsAndSizesReadLikeSystemctls() {
        assertEquals("4.2s", Listing.duration(Duration.ofMillis(4_200)));
        assertEquals("2h05m", Listing.duration(Duration.ofMinutes(125)));
        assertEquals("512B", Listing.bytes(512));
        assertEquals("1.5G", Listing.bytes(3L << 29));
    }
}
