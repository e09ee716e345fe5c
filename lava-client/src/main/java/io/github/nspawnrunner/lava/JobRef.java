package io.github.nspawnrunner.lava;

/**
 * A job to follow: ID is the number LAVA's REST URLs take; LABEL is how LAVA or the user named it
 * ("42", or "42.1" for the second sub-job of multinode submission 42).
 */
public record JobRef(long id, String label) {
    public JobRef {
        if (id <= 0) {
            throw new IllegalArgumentException("job ids are positive: " + id);
        }
    }

    /** "42", or "42.1 (id 43)" where the two differ. */
    public String describe() {
        return label.equals(Long.toString(id)) ? label : label + " (id " + id + ")";
    }
}
