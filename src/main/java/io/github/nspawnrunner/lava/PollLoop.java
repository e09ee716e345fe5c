package io.github.nspawnrunner.lava;

import java.time.Duration;
import java.util.List;

/**
 * Visits every unfinished job once per round, round-robin, and starts a round at most once per
 * poll interval. The request budget spaces the requests within a round; with many jobs a round
 * takes longer than the interval and the next starts at once: the budget, not the job count,
 * sets the load on the server.
 */
final class PollLoop {
    private final Ticker ticker;
    private final Duration interval;

    PollLoop(Ticker ticker, Duration interval) {
        this.ticker = ticker;
        this.interval = interval;
    }

    void run(List<? extends PolledJob> jobs) throws InterruptedException {
        while (true) {
            long roundStart = ticker.nanos();
            for (PolledJob job : jobs) {
                if (!job.done()) {
                    job.poll();
                }
            }
            if (jobs.stream().allMatch(PolledJob::done)) {
                return;
            }
            long left = interval.toNanos() - (ticker.nanos() - roundStart);
            if (left > 0) {
                ticker.sleep(Duration.ofNanos(left));
            }
        }
    }
}
