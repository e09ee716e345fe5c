package io.github.nspawnrunner.cli;

import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Mixin;

/**
 * One of gitlab-runner's calls config, prepare and cleanup: the same code whether picocli, the
 * fast path ({@link GitlabRunnerCall}) or the executor service runs it, and its failures become
 * gitlab-runner's exit codes in {@link Session#guard}. A class, not a lambda: gitlab-runner's
 * short-lived JVMs pay for every lambda's first use.
 */
abstract class GitlabRunnerCommand implements Callable<Integer>, ToIntFunction<Session> {
    @Mixin
    CommonOptions options;

    @Override
    public final Integer call() {
        return options.session().guard(this);
    }
}
