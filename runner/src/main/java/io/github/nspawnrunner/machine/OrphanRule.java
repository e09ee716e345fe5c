package io.github.nspawnrunner.machine;

import java.util.Optional;

/**
 * When a job directory is an orphan: its job is gone for good and gitlab-runner will not clean it
 * up (the host crashed or rebooted under it, or gitlab-runner died with it). Decided on facts that
 * do not move with the clock, and only by a caller that holds the job's lock (so no prepare or
 * cleanup of it is under way).
 */
final class OrphanRule {
    private OrphanRule() {
    }

    /** What is known of one job directory, read while holding its lock. */
    record Facts(JobOrigin origin, BootId bootNow, boolean machineRegistered, boolean unitLoaded, boolean stageTargetExists) {
    }

    /** Why the job is an orphan; empty when it may be alive, or gitlab-runner is still to clean it up. */
    static Optional<String> orphanReason(Facts facts) {
        if (facts.machineRegistered() || facts.unitLoaded()) {
            // alive (or being stopped by systemd): whatever the records say, never pull a machine from under a job
            return Optional.empty();
        }
        if (!facts.origin().bootId().equals(facts.bootNow())) {
            return Optional.of("the host booted after its prepare (boot " + facts.origin().bootId() + ")");
        }
        if (!facts.stageTargetExists()) {
            return Optional.of("its machine, its unit and gitlab-runner's stage target file "
                    + facts.origin().stageTargetFile() + " are gone");
        }
        // the machine is gone but gitlab-runner still has the job: its cleanup will come
        return Optional.empty();
    }
}
