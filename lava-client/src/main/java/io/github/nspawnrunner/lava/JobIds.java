package io.github.nspawnrunner.lava;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the job ids LAVA prints to the ids its REST URLs take.
 *
 * <p>A multinode submission answers {@code ["42.0", "42.1"]}, but {@code /api/v0.2/jobs/42.1/} is
 * a 404 (seen on a real 2023.01 server). LAVA creates the sub-jobs of one submission one after the
 * other and names each {@code <id of the first>.<sub_id>}, so "42.0" is job 42 and "42.k" is the
 * k-th job created after it: 42 + k. Another submission committed at the same moment could take an
 * id in between, so {@link MultinodeGroupCheck} confirms the guess with the server before anything
 * is followed.
 */
public final class JobIds {
    private static final Pattern PLAIN = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SUB_JOB = Pattern.compile("([0-9]{1,18})\\.([0-9]{1,9})");

    private JobIds() {
    }

    /** One id as LAVA or a user wrote it; null when it is not one. */
    public static JobRef parse(String text) {
        String id = text.strip();
        if (PLAIN.matcher(id).matches()) {
            long value = Long.parseLong(id);
            return value > 0 ? new JobRef(value, id) : null;
        }
        Matcher sub = SUB_JOB.matcher(id);
        if (sub.matches()) {
            long first = Long.parseLong(sub.group(1));
            int index = Integer.parseInt(sub.group(2));
            return first > 0 ? new JobRef(first + index, id) : null;
        }
        return null;
    }

    /** The ids of one submission, in LAVA's order; the same job named twice is followed once. */
    public static List<JobRef> fromSubmission(List<String> submitted) {
        Map<Long, JobRef> jobs = new LinkedHashMap<>();
        for (String id : submitted) {
            JobRef job = parse(id);
            if (job == null) {
                throw new LavaServerException("LAVA returned a job id that is not one: '" + id + "'");
            }
            jobs.putIfAbsent(job.id(), job);
        }
        return new ArrayList<>(jobs.values());
    }
}
