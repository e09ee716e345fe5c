package io.github.nspawnrunner.lava;

import java.util.List;

/** One test suite of a job's JUnit results: counts, and the names of its failing test cases. */
public record SuiteResults(String name, int passed, int failed, int skipped, List<String> failing) {
    public SuiteResults {
        failing = List.copyOf(failing);
    }
}
