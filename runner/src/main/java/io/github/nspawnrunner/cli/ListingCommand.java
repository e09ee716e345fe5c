package io.github.nspawnrunner.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/**
 * A command that lists (chroot list, image list, jobs): every listing takes the same options and
 * prints its rows the same way, so each says only where its rows come from and what its columns are.
 */
abstract class ListingCommand<T> implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ListingOptions listingOptions;

    private final Function<Session, Listing<T>> columns;

    /** COLUMNS may depend on the config (jobs shows the profile only when there are several). */
    ListingCommand(Function<Session, Listing<T>> columns) {
        this.columns = columns;
    }

    @Override
    public final Integer call() {
        Session session = options.session();
        // the rows first: a command that may not read them (jobs, not root) fails before it reads the config for its columns
        List<T> rows = rows(session);
        columns.apply(session).print(session.out(), rows, listingOptions);
        return 0;
    }

    abstract List<T> rows(Session session);
}
