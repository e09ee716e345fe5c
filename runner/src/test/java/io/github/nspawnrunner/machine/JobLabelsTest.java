package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JobLabelsTest {
    private static final BootId BOOT = new BootId("0f0e6a1c-2b4d-4c1e-9a57-7d2f3c4b5a60");
    private static final Path RESPONSE = Path.of("/tmp/custom-executor1/response.json");

    @Test
    void prepareRecordsTheLabelsBesideTheOriginAndTheyReadBackWhole() {
        JobLabels labels = new JobLabels(OptionalLong.of(77), "bookworm", "hardware",
                Optional.of(Instant.parse("2026-12-03T16:48:47.348900652Z")));
        JobOrigin origin = new JobOrigin(new MachineName("nsr-42"), 42, BOOT, RESPONSE, labels);
        assertEquals(Optional.of(origin), JobOrigin.parse(origin.text()));
    }

    @Test
    void aRecordOfAnOlderNspawnRunnerHasBlankLabelsAndStillJudgesAsBefore() {
        JobOrigin old = new JobOrigin(new MachineName("nsr-42"), 42, BOOT, RESPONSE);
        String text = "machine=nsr-42\njob=42\nboot_id=" + BOOT + "\njob_response_file=" + RESPONSE + "\n";
        assertEquals(Optional.of(old), JobOrigin.parse(text));
        assertEquals(JobLabels.UNKNOWN, JobOrigin.parse(text).orElseThrow().labels());
    }

    @Test
    void labelsThatDoNotParseAreBlanksNotAnUnreadableRecord() {
        String text = "machine=nsr-42\njob=42\nboot_id=" + BOOT + "\njob_response_file=" + RESPONSE
                + "\nproject=x\nchroot=bookworm\nprepared=yesterday\n";
        JobLabels labels = JobOrigin.parse(text).orElseThrow().labels();
        assertEquals(new JobLabels(OptionalLong.empty(), "bookworm", "", Optional.empty()), labels);
    }
}
