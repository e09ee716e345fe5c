package io.github.nspawnrunner.lava;

/** A job the poll loop visits once per round until it is done. */
interface PolledJob {
    /** One visit: as few requests as the job needs this round. */
    void poll() throws InterruptedException;

    boolean done();

    JobOutcome outcome();
}
