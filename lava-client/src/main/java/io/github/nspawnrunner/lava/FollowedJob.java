package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.List;

/**
 * A job {@code submit} follows: prints its state changes and every log line exactly once, in
 * order, and writes them to its files.
 *
 * <p>NEXT_LINE is the number of log lines already printed: the next request asks LAVA for lines
 * from there on, and it only moves after a page was printed and written, so a failed request loses
 * nothing and a retried one repeats nothing. The job is done when LAVA says Finished and its log
 * holds LAVA's final job result line, which lava-run writes last: the last lines can arrive after the
 * state changes, never after that line. A log without it (a job cancelled before it started, a
 * dispatcher that died) is done after {@link #DRAIN_GRACE} empty answers after Finished.
 */
final class FollowedJob extends RecordedJob {
    /**
     * Empty answers after Finished to wait for when the log has not shown LAVA's final result line
     * yet (a job cancelled before it started has no log at all).
     */
    static final int DRAIN_GRACE = 2;

    private final LavaConsole console;
    private final LogLineFormatter formatter;
    private final String prefix;
    private boolean statusFresh = true;
    private int emptyAfterFinished;

    /** FIRST is the status read just after submission; PREFIXED when several jobs share the output. */
    FollowedJob(JobRef job, JobStatus first, LavaApi api, JobFiles files, LavaConsole console, boolean prefixed) {
        super(job, first, api, files);
        this.console = console;
        this.formatter = new LogLineFormatter(console.color());
        this.prefix = prefixed ? "[" + job.id() + "] " : "";
        files.start();
        console.print(List.of(StatusLine.of(job, first)));
    }

    @Override
    public void poll() throws InterruptedException {
        if (!status.finished() && !statusFresh) {
            JobStatus now = api.status(job.id());
            if (!now.visible().equals(status.visible())) {
                console.print(List.of(StatusLine.of(job, now)));
            }
            status = now;
        }
        statusFresh = false;
        if (status.finished() && log.jobResult().isPresent()) {
            // the whole log is in already: asking for more would only bring LAVA's 404
            finish();
            return;
        }
        LogPage page = api.logs(job.id(), log.nextLine());
        if (!page.isEmpty()) {
            show(page);
        }
        if (status.finished()) {
            emptyAfterFinished = page.isEmpty() ? emptyAfterFinished + 1 : 0;
            if (log.jobResult().isPresent() || emptyAfterFinished >= DRAIN_GRACE) {
                finish();
            }
        }
    }

    private void show(LogPage page) {
        List<String> plain = log.record(page);
        List<String> shown = new ArrayList<>(plain.size());
        for (int i = 0; i < plain.size(); i++) {
            shown.add(prefix + (console.color() ? formatter.format(page.lines().get(i)) : plain.get(i)));
        }
        console.print(shown);
    }
}
