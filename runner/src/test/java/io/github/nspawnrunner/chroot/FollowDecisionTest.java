package io.github.nspawnrunner.chroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FollowDecisionTest {
    private static final String OLD = "sha256:" + "a".repeat(64);
    private static final String NEW = "sha256:" + "b".repeat(64);
    private static final String REFERENCE = "registry.example.com/fleet/bookworm:stable";

    private static FollowDecision decide(Optional<String> current, Optional<PulledImage> pulled, String digest) {
        return FollowDecision.of(new FollowDecision.Installed(current, pulled), digest);
    }

    @Test
    void theSameDigestOnTheVersionPulledFromItIsNothingToDo() {
        FollowDecision decision = decide(Optional.of("v2"), Optional.of(new PulledImage("v2", REFERENCE, OLD)), OLD);
        assertFalse(decision.pull());
        assertEquals("it is at " + OLD + " already (v2)", decision.reason());
    }

    @Test
    void anotherReferenceToTheSameImageIsNothingToDoEither() {
        assertFalse(decide(Optional.of("v2"), Optional.of(new PulledImage("v2", "mirror.example.com/bookworm:1", OLD)), OLD).pull());
    }

    @Test
    void aMovedTagIsPulled() {
        FollowDecision decision = decide(Optional.of("v2"), Optional.of(new PulledImage("v2", REFERENCE, OLD)), NEW);
        assertTrue(decision.pull());
        assertEquals("the tag moved from " + OLD + " to " + NEW, decision.reason());
    }

    @Test
    void aMissingChrootIsPulled() {
        FollowDecision decision = decide(Optional.empty(), Optional.of(new PulledImage("v1", REFERENCE, OLD)), OLD);
        assertTrue(decision.pull());
        assertEquals("the chroot does not exist yet", decision.reason());
    }

    /** An upgrade or a persistent login made the current version here: the tag's image replaces it. */
    @Test
    void aVersionMadeOnThisHostIsReplacedEvenWhenTheTagDidNotMove() {
        FollowDecision upgraded = decide(Optional.of("v3"), Optional.of(new PulledImage("v2", REFERENCE, OLD)), OLD);
        assertTrue(upgraded.pull());
        assertEquals("its current version v3 was made on this host, not pulled", upgraded.reason());
        assertTrue(decide(Optional.of("v1"), Optional.empty(), OLD).pull(), "created here, never pulled");
    }
}
