package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrphanRuleTest {
    private static final BootId PREPARED_IN = new BootId("0f0e6a1c-2b4d-4c1e-9a57-7d2f3c4b5a60");
    private static final BootId LATER_BOOT = new BootId("7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
    private static final JobOrigin ORIGIN = new JobOrigin(new MachineName("nsr-42"), 42, PREPARED_IN,
            Path.of("/tmp/custom-executor1/response.json"));

    private static Optional<String> judge(BootId now, boolean machine, boolean unit, boolean stageTarget) {
        return OrphanRule.orphanReason(new OrphanRule.Facts(ORIGIN, now, machine, unit, stageTarget));
    }

    @Test
    void aJobWithAMachineOrAUnitIsNeverAnOrphanWhateverElseSaysSo() {
        for (BootId now : new BootId[] {PREPARED_IN, LATER_BOOT}) {
            for (boolean stageTarget : new boolean[] {true, false}) {
                assertEquals(Optional.empty(), judge(now, true, false, stageTarget));
                assertEquals(Optional.empty(), judge(now, false, true, stageTarget));
                assertEquals(Optional.empty(), judge(now, true, true, stageTarget));
            }
        }
    }

    @Test
    void aJobPreparedInAnEarlierBootIsAnOrphanEvenIfItsStageTargetFileSurvived() {
        Optional<String> reason = judge(LATER_BOOT, false, false, true);
        assertTrue(reason.orElseThrow().contains("the host booted after its prepare"), reason.toString());
        assertTrue(judge(LATER_BOOT, false, false, false).isPresent());
    }

    @Test
    void inThisBootOnlyTheStageTargetFileGoneToo() {
        Optional<String> reason = judge(PREPARED_IN, false, false, false);
        assertTrue(reason.orElseThrow().contains("/tmp/custom-executor1/nspawn-runner-stage-target are gone"), reason.toString());
        // gitlab-runner still has the job (its machine died under it): its own cleanup will come
        assertEquals(Optional.empty(), judge(PREPARED_IN, false, false, true));
    }

    @Test
    void theRecordRoundTripsAndAPartialOneIsNoRecord() {
        assertEquals(Optional.of(ORIGIN), JobOrigin.parse(ORIGIN.text()));
        String text = ORIGIN.text();
        assertEquals(Optional.empty(), JobOrigin.parse(text.substring(0, text.indexOf("job_response_file"))));
        assertEquals(Optional.empty(), JobOrigin.parse(""));
        assertEquals(Optional.empty(), JobOrigin.parse(text.replace("boot_id=", "boot_id=x")));
    }
}
