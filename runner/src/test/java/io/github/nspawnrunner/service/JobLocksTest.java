package io.github.nspawnrunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobLocksTest {
    @Test
    void aJobsEntryLivesOnlyWhileItsLockIsHeld() {
        JobLocks locks = new JobLocks();
        try (JobLocks.Held first = locks.lock("/tmp/a/response.json")) {
            try (JobLocks.Held reentered = locks.lock("/tmp/a/response.json");
                    JobLocks.Held other = locks.lock("/tmp/b/response.json")) {
                assertEquals(2, locks.size());
            }
            assertEquals(1, locks.size());
        }
        assertEquals(0, locks.size(), "entries of finished jobs pile up in a service that runs for months");
    }
}
