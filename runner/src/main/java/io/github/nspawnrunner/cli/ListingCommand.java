package io.github.nspawnrunner.cli;

import java.util.List;
import java.util.concurrent.Callable;
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

    @Override
    public final Integer call() {
        Session session = options.session();
        // the rows first: a command that may not read them (jobs, not root) fails before it reads the config for its columns
        List<T> rows = rows(session);
        listing(session).print(session.out(), rows, listingOptions);
        return 0;
    }

    abstract List<T> rows(Session session);

    abstract Listing<T> listing(Session session);
}
