package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.List;

/**
 * Visits every unfinished job once per round, round-robin, and starts a round at most once per
 * poll interval. The request budget spaces the requests within a round; with many jobs a round
 * takes longer than the interval and the next starts at once: the budget, not the job count,
 * sets the load on the server. A round may start with a step for all its jobs at once
 * ({@link RoundStart}): {@code monitor-file} reads every status in one request there.
 */
final class PollLoop {
    /** What a round does before it visits its jobs, e.g. read the status of all of them in one request. */
    interface RoundStart<J> {
        void prepare(List<J> unfinished) throws InterruptedException;
    }

    private final Ticker ticker;
    private final Duration interval;

    PollLoop(Ticker ticker, Duration interval) {
        this.ticker = ticker;
        this.interval = interval;
    }

    void run(List<? extends PolledJob> jobs) throws InterruptedException {
        run(jobs, unfinished -> { });
    }

    /** As {@link #run(List)}, with ROUND_START given the jobs the round is about to visit. */
    <J extends PolledJob> void run(List<J> jobs, RoundStart<J> roundStart) throws InterruptedException {
        while (true) {
            long started = ticker.nanos();
            List<J> unfinished = jobs.stream().filter(job -> !job.done()).toList();
            roundStart.prepare(unfinished);
            for (J job : unfinished) {
                job.poll();
            }
            if (jobs.stream().allMatch(PolledJob::done)) {
                return;
            }
            long left = interval.toNanos() - (ticker.nanos() - started);
            if (left > 0) {
                ticker.sleep(Duration.ofNanos(left));
            }
        }
    }
}
