package io.github.nspawnrunner.failure;

/** gitlab-runner's distinction: the job's own fault, or the runner's/machine's. */
public enum FailureKind {
    BUILD,
    SYSTEM
}
