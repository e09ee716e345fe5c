package io.github.nspawnrunner.config;

/**
 * When an image is fetched from its registry, as gitlab-runner's pull_policy. Whatever the policy,
 * a cached image that was not fetched anonymously is handed to a job only after the job's own
 * credentials resolved its reference (see image/ImageStore).
 */
public enum PullPolicy {
    /** Resolve the reference at every job (one manifest request), fetch when that digest is not cached. */
    ALWAYS("always"),
    /** Use what the reference resolved to last time when that image is cached; else as ALWAYS. */
    IF_NOT_PRESENT("if-not-present"),
    /** Only cached images, never a fetch. */
    NEVER("never");

    private final String key;

    PullPolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
