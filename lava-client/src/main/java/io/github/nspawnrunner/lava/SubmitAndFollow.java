package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code submit}: submit a definition, follow every job it created to its end, report. */
record SubmitAndFollow(LavaApi api, LavaSettings settings, LavaRuntime runtime, LavaConsole console, AbortPolicy abortPolicy) {
    LavaExitCode run(JobDefinitionFile definition) throws InterruptedException {
        List<JobRef> jobs = JobIds.fromSubmission(api.submit(definition.text()));
        // first, so that the jobs can be found even if anything below fails
        List<String> submitted = new ArrayList<>();
        for (JobRef job : jobs) {
            submitted.add("submitted " + definition.name() + " as job " + job.describe() + ": "
                    + settings.endpoint().jobPage(job.id()));
        }
        console.print(submitted);
        try {
            Map<Long, JobStatus> first = new LinkedHashMap<>();
            for (JobRef job : jobs) {
                first.put(job.id(), api.status(job.id()));
            }
            MultinodeGroupCheck.verify(jobs, first);
            List<FollowedJob> followed = new ArrayList<>();
            for (JobRef job : jobs) {
                followed.add(new FollowedJob(job, first.get(job.id()), api, new JobFiles(runtime.workDir(), job.id()), console,
                        jobs.size() > 1));
            }
            new PollLoop(runtime.ticker(), settings.pollInterval()).run(followed);
            List<JobOutcome> outcomes = followed.stream().map(FollowedJob::outcome).toList();
            return Verdict.report(outcomes, settings, console);
        } catch (InterruptedException e) {
            abortPolicy.aborted(jobs, api, console);
            throw e;
        }
    }
}
