package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job networks for real, in a test host with a network namespace of its own and an "outside"
 * namespace routed through it: what a private-network job can reach and what it cannot, none
 * and host modes, and that nothing of a job's network outlives its cleanup.
 */
@ExtendWith(TestHostExtension.class)
class NetworkIT {
    /** Served by the test host on its loopback only: what must stay out of a private job's reach. */
    private static final int LOOPBACK_PORT = 7101;
    /** Served by the test host on all its addresses. */
    private static final int ANY_ADDRESS_PORT = 7102;
    private static final String LOOPBACK_SECRET = "loopback-secret";
    private static final String HOST_SECRET = "host-secret";

    /** A server of the outside world, started once per test host: it lives as long as the host. */
    private static final int HTTP_PORT = 8002;
    private static final String HTTP_ANSWER = "HTTP/1.0 200 OK";

    private final Host host;
    private final List<String> servers = new ArrayList<>();

    NetworkIT(Host host) {
        this.host = host;
    }

    private SimulatedJob newJob() {
        return new SimulatedJob(host, ExecutorIT.JOB_IDS.incrementAndGet(), 78).runnerSetting("NSPAWN_RUNNER_NO_SERVICE", "1");
    }

    @BeforeEach
    void theOutsideServes() {
        ExecResult listening = host.shell("timeout 3 bash -c 'exec 3<>/dev/tcp/" + OutsideNetwork.OUTSIDE_ADDRESS + "/"
                + HTTP_PORT + "' 2>/dev/null");
        if (listening.exitCode() != 0) {
            host.serveOutside(HTTP_PORT, HTTP_ANSWER);
        }
    }

    @AfterEach
    void stopServersAndCheckNothingIsLeft() {
        servers.forEach(unit -> host.shell("systemctl stop " + unit));
        ExecutorIT.assertHostClean(host);
    }

    /** A TCP server on the test host that answers every connection with TEXT. */
    private void serveOnHost(String address, int port, String text) {
        String unit = "it-server-" + port;
        ExecResult started = host.shell("systemd-run -q --collect --unit=" + unit + " systemd-socket-activate -l "
                + address + ":" + port + " -a --inetd /bin/echo " + text);
        assertEquals(0, started.exitCode(), started.toString());
        servers.add(unit);
        awaitListening(port);
    }

    private void awaitListening(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (host.shell("ss -Hltn 'sport = :" + port + "' | grep -q .").exitCode() == 0) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("nothing listens on port " + port + " of the test host");
    }

    /** A job script line: prints what ADDRESS:PORT answers, or "LABEL: unreachable". */
    static String probe(String label, String address, int port) {
        // errexit and pipefail are on in stage scripts: nothing here may fail the script
        return "out=$(timeout 3 bash -c 'exec 3<>/dev/tcp/" + address + "/" + port
                + "; printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; cat <&3' 2>/dev/null | head -c 200 || true);"
                + " if [ -n \"$out\" ]; then echo \"$out\"; else echo '" + label + ": unreachable'; fi";
    }

    /** The test host's own IPv4 addresses, loopback included. */
    private List<String> hostAddresses() {
        ExecResult addresses = host.shell("ip -o -4 addr show | awk '{print $4}' | cut -d/ -f1");
        assertEquals(0, addresses.exitCode(), addresses.toString());
        return addresses.stdout().lines().toList();
    }

    @Test
    void privateJobReachesTheOutsideButNeitherTheHostsLoopbackNorItsAddresses() {
        serveOnHost("127.0.0.1", LOOPBACK_PORT, LOOPBACK_SECRET);
        serveOnHost("0.0.0.0", ANY_ADDRESS_PORT, HOST_SECRET);
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        try {
            // the host's end of the job's own link among them
            List<String> addresses = hostAddresses();
            ExecResult control = host.shell(String.join("; ", addresses.stream()
                    .map(a -> probe(a, a, ANY_ADDRESS_PORT)).toList()));
            assertEquals(addresses.size(), control.stdout().lines().filter(HOST_SECRET::equals).count(),
                    "the host reaches its own server on every address: " + control);
            assertTrue(addresses.contains("127.0.0.1") && addresses.size() >= 3, addresses.toString());

            List<String> script = new ArrayList<>();
            addresses.forEach(a -> script.add(probe("host " + a + " any", a, ANY_ADDRESS_PORT)));
            addresses.forEach(a -> script.add(probe("host " + a + " loopback", a, LOOPBACK_PORT)));
            script.add(probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, HTTP_PORT));
            ExecResult result = job.runStage("build_script", String.join("\n", script));
            assertEquals(0, result.exitCode(), result.toString());
            assertFalse(result.stdout().contains(HOST_SECRET), result.toString());
            assertFalse(result.stdout().contains(LOOPBACK_SECRET), result.toString());
            for (String a : addresses) {
                assertTrue(result.stdout().contains("host " + a + " any: unreachable"), a + ": " + result);
                assertTrue(result.stdout().contains("host " + a + " loopback: unreachable"), a + ": " + result);
            }
            assertTrue(result.stdout().contains(HTTP_ANSWER), result.toString());
        } finally {
            assertEquals(0, job.cleanup().exitCode());
        }
    }

    @Test
    void namesResolveInsideAPrivateJob() {
        JobRun run = newJob().run(Map.of("build_script", "getent hosts " + OutsideNetwork.OUTSIDE_NAME));
        assertFalse(run.failed(), run.toString());
        assertTrue(run.stage("build_script").stdout().startsWith(OutsideNetwork.OUTSIDE_ADDRESS + " "), run.toString());
    }

    @Test
    void twoConcurrentJobsCannotReachEachOther() {
        SimulatedJob server = newJob();
        SimulatedJob client = newJob();
        assertEquals(0, server.prepare().exitCode());
        assertEquals(0, client.prepare().exitCode());
        try {
            RunnerProcess listening = server.startStage("build_script",
                    "systemd-socket-activate -l 0.0.0.0:7200 -a --inetd /bin/echo job-secret & sleep 0.5; echo listening; "
                            + probe("self", "127.0.0.1", 7200) + "; sleep 30");
            listening.awaitOutput("job-secret", Duration.ofSeconds(30));
            String serverAddress = containerAddress(server);
            ExecResult attempt = client.runStage("build_script", probe("other job", serverAddress, 7200) + "\n"
                    + probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, HTTP_PORT));
            assertEquals(0, attempt.exitCode(), attempt.toString());
            assertTrue(attempt.stdout().contains("other job: unreachable"), attempt.toString());
            assertFalse(attempt.stdout().contains("job-secret"), attempt.toString());
            assertTrue(attempt.stdout().contains(HTTP_ANSWER), "the client's network works: " + attempt);
            assertFalse(containerAddress(client).equals(serverAddress));
            listening.signalGroup(15);
            listening.await(Duration.ofSeconds(30));
        } finally {
            assertEquals(0, client.cleanup().exitCode());
            assertEquals(0, server.cleanup().exitCode());
        }
    }

    /** The address prepare gave JOB's container, from its allocation on the test host. */
    private String containerAddress(SimulatedJob job) {
        ExecResult file = host.shell("grep -lx " + job.machine() + " /run/nspawn-runner/network/*");
        assertEquals(0, file.exitCode(), "no address allocated to " + job.machine() + ": " + file);
        String[] octets = file.stdout().trim().replaceAll(".*/", "").split("\\.");
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 2);
    }

    @Test
    void networkNoneHasOnlyLoopback() {
        JobRun run = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK", "none").run(Map.of("build_script",
                "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; grep -c . /proc/net/route; "
                        + probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, HTTP_PORT)));
        assertFalse(run.failed(), run.toString());
        assertEquals("lo\n1\noutside: unreachable", run.stage("build_script").stdout(), run.toString());
    }

    @Test
    void networkHostIsTheHostsOwnNetworkLoopbackIncluded() {
        serveOnHost("127.0.0.1", LOOPBACK_PORT, LOOPBACK_SECRET);
        JobRun run = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK", "host").run(Map.of("build_script",
                probe("host loopback", "127.0.0.1", LOOPBACK_PORT)));
        assertFalse(run.failed(), run.toString());
        assertEquals(LOOPBACK_SECRET, run.stage("build_script").stdout(), run.toString());
    }

    @Test
    void aPrepareThatFailsAfterTheNetworkIsUpLeavesNoneOfIt() throws Exception {
        SimulatedJob job = newJob().prepareRetryDelay(Duration.ofMillis(100));
        // the stage target file is prepare's last step: a directory in the way of its temp file fails it
        Files.createDirectories(job.tmpDir().resolve("nspawn-runner-stage-target.partial/blocked"));
        ExecResult prepare = job.prepare();
        assertEquals(2, prepare.exitCode(), prepare.toString());
        assertTrue(prepare.stderr().contains("cannot write the stage target file"), prepare.toString());
        ExecutorIT.assertHostClean(host);
        assertEquals(0, job.cleanup().exitCode());
    }

    @Test
    void aPoolThatCannotHoldAJobFailsPrepareInOneLineAndLeavesNothing() {
        SimulatedJob job = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK_POOL", "10.213.0.0/31");
        ExecResult prepare = job.prepare();
        assertEquals(2, prepare.exitCode(), prepare.toString());
        assertEquals(List.of("nspawn-runner: error: cannot start machine " + job.machine() + " (job " + job.id()
                + ") on chroot bookworm: network of machine " + job.machine() + " (job " + job.id()
                + "): network_pool 10.213.0.0/31 must be an IPv4 network of /30 or larger, like 10.213.0.0/16"),
                prepare.stderrLines(), prepare.toString());
        ExecutorIT.assertHostClean(host);
        assertEquals(0, job.cleanup().exitCode());
    }

    @Test
    void cleanupRemovesWhatACrashedRunnerLeftAndIsIdempotent() {
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        ExecResult before = host.shell("ip -o link show " + job.machine() + " && nft list table inet " + job.machine()
                + " && grep -lx " + job.machine() + " /run/nspawn-runner/network/*");
        assertEquals(0, before.exitCode(), "the job's link, table and address exist while it runs: " + before);
        // the container dies under the runner: its end of the veth goes, the table and address stay
        host.shell("systemctl kill --signal=KILL " + job.machine() + ".service");
        assertEquals(0, job.cleanup().exitCode());
        assertEquals(0, job.cleanup().exitCode());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
