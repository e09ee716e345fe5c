package io.github.nspawnrunner.executor;

/** gitlab-runner's distinction: the job's own fault, or the runner's/machine's. */
public enum FailureKind {
    BUILD,
    SYSTEM
}
