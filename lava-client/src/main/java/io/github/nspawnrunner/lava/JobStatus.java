package io.github.nspawnrunner.lava;

import java.util.Optional;

/**
 * What {@code GET /api/v0.2/jobs/<id>/} says about a job. DEVICE and FAILURE_COMMENT are empty
 * until LAVA knows them. MULTINODE_DEFINITION is the whole submission LAVA stores on every sub-job
 * of a multinode group (empty for single jobs); it tells whether two ids belong to one submission.
 */
public record JobStatus(long id, String state, String health, Optional<String> device, Optional<String> failureComment,
                        String multinodeDefinition) {
    public static final String FINISHED = "Finished";
    public static final String COMPLETE = "Complete";

    public boolean finished() {
        return FINISHED.equals(state);
    }

    public boolean complete() {
        return finished() && COMPLETE.equals(health);
    }

    /** What a person watching the job cares about; a change here is worth a line. */
    public String visible() {
        return state + "/" + health + "/" + device.orElse("");
    }
}
