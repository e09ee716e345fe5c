package io.github.nspawnrunner.service;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per job: gitlab-runner may start a job's cleanup while its cancelled prepare is still
 * booting the container in the service, and cleanup must then wait for it rather than race it.
 * Different jobs never wait for each other. An entry lives only while someone holds or awaits it.
 */
final class JobLocks {
    private final Map<String, Entry> entries = new HashMap<>();

    /** Blocks until the caller holds JOB's lock; close the result to release it. */
    Held lock(String job) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(job, key -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        return new Held(job, entry);
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    final class Held implements AutoCloseable {
        private final String job;
        private final Entry entry;

        private Held(String job, Entry entry) {
            this.job = job;
            this.entry = entry;
        }

        @Override
        public void close() {
            entry.lock.unlock();
            synchronized (entries) {
                if (--entry.users == 0) {
                    entries.remove(job);
                }
            }
        }
    }
}
