package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.lava.FakeLavaServer.FakeJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The results summary from LAVA's JUnit XML, and the LAVA_FAIL_ON_TEST_FAILURES gate. */
class TestResultsTest extends LavaBenchTest {
    /** As a real 2023.01 server serves it (shortened): a test suite with one failing case, and LAVA's own suite. */
    static final String JUNIT = """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites disabled="0" errors="0" failures="1" tests="6" time="1.07">
            \t<testsuite disabled="0" errors="0" failures="1" name="0_smoke" skipped="1" tests="4">
            \t\t<testcase name="kernel-version" classname="0_smoke"/>
            \t\t<testcase name="expected-failure" classname="0_smoke">
            \t\t\t<failure type="failure" message="failed"/>
            \t\t</testcase>
            \t\t<testcase name="not-here" classname="0_smoke"><skipped/></testcase>
            \t\t<testcase name="busybox-runs" classname="0_smoke"/>
            \t</testsuite>
            \t<testsuite name="lava" tests="2">
            \t\t<testcase name="validate" classname="lava"/>
            \t\t<testcase name="job" classname="lava"/>
            \t</testsuite>
            </testsuites>
            """;

    @BeforeEach
    void start() throws IOException {
        bench.file("job.yaml", LavaTestBench.definition());
    }

    @Test
    void parsesSuitesCountsAndFailingCases() {
        JunitResults results = JunitResults.parse(JUNIT);
        assertEquals(List.of(new SuiteResults("0_smoke", 2, 1, 1, List.of("expected-failure")),
                new SuiteResults("lava", 2, 0, 0, List.of())), results.suites());
        assertEquals(List.of("0_smoke/expected-failure"), results.failing());
    }

    @Test
    void refusesDoctypesSoNoExternalEntityIsEverRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "do-not-read");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<testsuites><testsuite name=\"&x;\"/></testsuites>";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JunitResults.parse(xxe));
        assertTrue(!e.getMessage().contains("do-not-read"), e.getMessage());
    }

    @Test
    void submitPrintsTheResultsSummaryAndPassesAFailingTestByDefault() {
        FakeJob job = new FakeJob().lines(3, "boot").endsWith("Complete");
        job.junit = JUNIT;
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(0, run.exit(), run.toString());
        List<String> lines = run.outLines();
        int at = lines.indexOf("test results:");
        assertEquals(List.of("test results:",
                "JOB  SUITE    PASSED  FAILED  SKIPPED",
                "100  0_smoke       2       1        1",
                "100  lava          2       0        0",
                "failing test cases (1):",
                "  job 100: 0_smoke/expected-failure"), lines.subList(at, lines.size()));
    }

    @Test
    void theGateFailsACompleteJobWithAFailingTestAndNamesIt() {
        bench.environment.put("LAVA_FAIL_ON_TEST_FAILURES", "true");
        FakeJob job = new FakeJob().lines(3, "boot").endsWith("Complete");
        job.junit = JUNIT;
        bench.server.nextSubmission(job);

        LavaTestBench.Run run = bench.submit("job.yaml");

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains("job 100 ended Complete but has failing test cases (LAVA_FAIL_ON_TEST_FAILURES):"
                + " 0_smoke/expected-failure\n"), run.out());
    }

    @Test
    void theGatePassesACompleteJobWithoutFailures() {
        bench.options = List.of("--fail-on-test-failures");
        LavaTestBench.Run run = bench.submit("job.yaml");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("no failing test cases"), run.out());
    }

    @Test
    void monitorFileSummarisesAllJobsInOneTable() throws IOException {
        FakeJob failing = new FakeJob().lines(2, "a").endsWith("Complete");
        failing.junit = JUNIT;
        FakeJob none = new FakeJob().lines(2, "b").endsWith("Complete");
        none.junit = null;
        long first = bench.server.add(failing);
        long second = bench.server.add(none);
        bench.file("jobs.json", "{\"jobids\": [" + first + ", " + second + "]}");

        LavaTestBench.Run run = bench.monitorFile("jobs.json");

        assertEquals(0, run.exit(), run.toString());
        List<String> lines = run.outLines();
        int at = lines.indexOf("test results:");
        assertEquals(List.of("test results:",
                "JOB  SUITE         PASSED  FAILED  SKIPPED",
                "100  0_smoke            2       1        1",
                "100  lava               2       0        0",
                "101  (no results)       -       -        -",
                "failing test cases (1):",
                "  job 100: 0_smoke/expected-failure"), lines.subList(at, lines.size()));
    }
}
