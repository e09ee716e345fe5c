package io.github.nspawnrunner.lava;

import java.util.List;

/** {@code monitor-file}: watch jobs someone else submitted until all have finished, report. */
record MonitorJobs(LavaApi api, LavaSettings settings, LavaRuntime runtime, LavaConsole console, AbortPolicy abortPolicy) {
    LavaExitCode run(List<JobRef> jobs) throws InterruptedException {
        RoundStatuses statuses = new RoundStatuses(api);
        List<WatchedJob> watched = jobs.stream()
                .map(job -> new WatchedJob(job, statuses, api, new JobFiles(runtime.workDir(), job.id()), console))
                .toList();
        try {
            new PollLoop(runtime.ticker(), settings.pollInterval()).run(watched, statuses);
        } catch (InterruptedException e) {
            // monitor-file did not submit the jobs: they are left alone unless LAVA_CANCEL_ON_ABORT says otherwise
            abortPolicy.aborted(jobs, api, console);
            throw e;
        }
        List<JobOutcome> outcomes = watched.stream().map(WatchedJob::outcome).toList();
        return Verdict.report(outcomes, settings, console);
    }
}
