package io.github.nspawnrunner.lava;

import java.util.List;
import java.util.Map;

/**
 * Confirms that the jobs {@link JobIds} derived from "N.k" ids belong to submission N: every
 * sub-job of a multinode group carries the whole submission in {@code multinode_definition}.
 */
final class MultinodeGroupCheck {
    private MultinodeGroupCheck() {
    }

    /** STATUSES holds the first status of every job in JOBS. */
    static void verify(List<JobRef> jobs, Map<Long, JobStatus> statuses) {
        for (JobRef job : jobs) {
            int dot = job.label().indexOf('.');
            if (dot < 0) {
                continue;
            }
            long first = Long.parseLong(job.label().substring(0, dot));
            JobStatus leader = statuses.get(first);
            JobStatus member = statuses.get(job.id());
            if (leader == null || member == null || leader.multinodeDefinition().isEmpty()) {
                // the server does not tell (or the first sub-job is not followed): nothing to compare
                continue;
            }
            if (!leader.multinodeDefinition().equals(member.multinodeDefinition())) {
                throw new LavaServerException("LAVA named a sub-job " + job.label() + " but job " + job.id()
                        + " belongs to another submission; find the sub-jobs of " + first + " in LAVA's web interface"
                        + " and follow them with monitor-file");
            }
        }
    }
}
