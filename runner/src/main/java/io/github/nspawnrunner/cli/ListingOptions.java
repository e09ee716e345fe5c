package io.github.nspawnrunner.cli;

import picocli.CommandLine.Option;

/** The options every listing takes. */
final class ListingOptions {
    @Option(names = "--json", description = "Print a JSON array, for scripts.")
    boolean json;

    @Option(names = "--no-legend", description = "No header and footer, for scripts.")
    boolean noLegend;
}
