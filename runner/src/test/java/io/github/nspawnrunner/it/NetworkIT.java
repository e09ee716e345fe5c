package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job networks for real, in a test host with a network namespace of its own and an "outside"
 * namespace routed through it: what a private-network job can reach and what it cannot, none
 * and host modes, and that nothing of a job's network outlives its cleanup.
 */
@ExtendWith(TestHostExtension.class)
class NetworkIT {
    /** Servers live as long as the test host: each gets a port of its own. */
    private static final AtomicInteger PORTS = new AtomicInteger(7100);
    private static final String LOOPBACK_SECRET = "loopback-secret";
    private static final String HOST_SECRET = "host-secret";
    private static final String OUTSIDE_ANSWER = "outside-answer";

    private final TestHost host;

    NetworkIT(TestHost host) {
        this.host = host;
    }

    private SimulatedJob newJob() {
        return new SimulatedJob(host, ExecutorIT.JOB_IDS.incrementAndGet(), 78).runnerSetting("NSPAWN_RUNNER_NO_SERVICE", "1");
    }

    @AfterEach
    void leavesNothingBehind() {
        ExecutorIT.assertHostClean(host);
    }

    /** A server on the test host (on ADDRESS, e.g. its loopback) answering TEXT; returns its port. */
    private int serveOnHost(String address, String text) {
        int port = PORTS.incrementAndGet();
        host.outside().serveInHost(address, port, text);
        return port;
    }

    /** A server in the outside network; returns its port. */
    private int serveOutside() {
        int port = PORTS.incrementAndGet();
        host.outside().serve(port, OUTSIDE_ANSWER);
        return port;
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
        int loopbackPort = serveOnHost("127.0.0.1", LOOPBACK_SECRET);
        int anyAddressPort = serveOnHost("0.0.0.0", HOST_SECRET);
        int outsidePort = serveOutside();
        SimulatedJob job = newJob();
        assertEquals(0, job.prepare().exitCode());
        try {
            // the host's end of the job's own link among them
            List<String> addresses = hostAddresses();
            ExecResult control = host.shell(String.join("; ", addresses.stream()
                    .map(a -> probe(a, a, anyAddressPort)).toList()));
            assertEquals(addresses.size(), control.stdout().lines().filter(HOST_SECRET::equals).count(),
                    "the host reaches its own server on every address: " + control);
            assertTrue(addresses.contains("127.0.0.1") && addresses.size() >= 3, addresses.toString());

            List<String> script = new ArrayList<>();
            addresses.forEach(a -> script.add(probe("host " + a + " any", a, anyAddressPort)));
            addresses.forEach(a -> script.add(probe("host " + a + " loopback", a, loopbackPort)));
            script.add(probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, outsidePort));
            ExecResult result = job.runStage("build_script", String.join("\n", script));
            assertEquals(0, result.exitCode(), result.toString());
            assertFalse(result.stdout().contains(HOST_SECRET), result.toString());
            assertFalse(result.stdout().contains(LOOPBACK_SECRET), result.toString());
            for (String a : addresses) {
                assertTrue(result.stdout().contains("host " + a + " any: unreachable"), a + ": " + result);
                assertTrue(result.stdout().contains("host " + a + " loopback: unreachable"), a + ": " + result);
            }
            assertTrue(result.stdout().contains(OUTSIDE_ANSWER), result.toString());
            assertEquals("1", host.shell("cat /proc/sys/net/ipv4/ip_forward").stdout(), "prepare turned forwarding on");
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
        int outsidePort = serveOutside();
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
                    + probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, outsidePort));
            assertEquals(0, attempt.exitCode(), attempt.toString());
            assertTrue(attempt.stdout().contains("other job: unreachable"), attempt.toString());
            assertFalse(attempt.stdout().contains("job-secret"), attempt.toString());
            assertTrue(attempt.stdout().contains(OUTSIDE_ANSWER), "the client's network works: " + attempt);
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
    void destinationsInNetworkDenyAreRefusedOthersStayReachable() {
        int outsidePort = serveOutside();
        JobRun run = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK_DENY", "169.254.0.0/16," + OutsideNetwork.OUTSIDE_ADDRESS + "/32")
                .run(Map.of("build_script", probe("denied", OutsideNetwork.OUTSIDE_ADDRESS, outsidePort)));
        assertFalse(run.failed(), run.toString());
        assertEquals("denied: unreachable", run.stage("build_script").stdout(), run.toString());
        JobRun allowed = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK_DENY", "10.252.0.0/16")
                .run(Map.of("build_script", probe("allowed", OutsideNetwork.OUTSIDE_ADDRESS, outsidePort)));
        assertTrue(allowed.stage("build_script").stdout().contains(OUTSIDE_ANSWER), "the control: " + allowed);
    }

    @Test
    void networkNoneHasOnlyLoopback() {
        int outsidePort = serveOutside();
        JobRun run = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK", "none").run(Map.of("build_script",
                "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; grep -c . /proc/net/route; "
                        + probe("outside", OutsideNetwork.OUTSIDE_ADDRESS, outsidePort)));
        assertFalse(run.failed(), run.toString());
        assertEquals("lo\n1\noutside: unreachable", run.stage("build_script").stdout(), run.toString());
    }

    @Test
    void networkHostIsTheHostsOwnNetworkLoopbackIncluded() {
        int loopbackPort = serveOnHost("127.0.0.1", LOOPBACK_SECRET);
        JobRun run = newJob().runnerSetting("NSPAWN_RUNNER_NETWORK", "host").run(Map.of("build_script",
                probe("host loopback", "127.0.0.1", loopbackPort)));
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
}
