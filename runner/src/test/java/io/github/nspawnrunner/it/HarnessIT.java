package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test host itself: limits and device policies are enforced, and it has a network of its own. */
@ExtendWith(TestHostExtension.class)
class HarnessIT {
    private static final String HOG = "systemd-run --wait --quiet -p MemoryMax=%s -p MemorySwapMax=0"
            + " /bin/bash -c 'x=$(head -c 200000000 /dev/zero | tr \"\\0\" x); echo ${#x}'";

    private final TestHost host;

    HarnessIT(TestHost host) {
        this.host = host;
    }

    @Test
    void memoryMaxIsEnforced() {
        assertNotEquals(0, host.shell(HOG.formatted("50M")).exitCode());
        ExecResult roomy = host.shell(HOG.formatted("1G"));
        assertEquals(0, roomy.exitCode(), roomy.toString());
    }

    @Test
    void theOutsideAnswersDnsAndServes() {
        host.outside().serve(7001, "hello from outside");
        ExecResult dns = host.shell("getent hosts " + OutsideNetwork.OUTSIDE_NAME);
        assertEquals(OutsideNetwork.OUTSIDE_ADDRESS + " " + OutsideNetwork.OUTSIDE_NAME, dns.stdout().replaceAll("\\s+", " "), dns.toString());
        ExecResult tcp = host.shell("timeout 5 bash -c 'exec 3<>/dev/tcp/" + OutsideNetwork.OUTSIDE_NAME + "/7001; cat <&3'");
        assertEquals("hello from outside", tcp.stdout(), tcp.toString());
    }

    @Test
    void aServerOnTheTestHostsLoopbackIsNotThisMachines() throws IOException {
        host.outside().serveInHost("127.0.0.1", 7002, "test host loopback");
        ExecResult inside = host.shell("timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/7002; cat <&3'");
        assertEquals("test host loopback", inside.stdout(), inside.toString());
        // and this machine's loopback is out of reach but through a forward
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "this machine".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertNotEquals(0, host.shell("timeout 5 curl -fsS http://127.0.0.1:" + port + "/").exitCode());
            String url = host.urlFromInside("http://127.0.0.1:" + port);
            assertEquals("http://" + OutsideNetwork.OUTSIDE_ADDRESS + ":" + port, url);
            ExecResult forwarded = host.shell("timeout 5 curl -fsS " + url + "/");
            assertEquals("this machine", forwarded.stdout(), forwarded.toString());
        } finally {
            server.stop(0);
        }
    }
}
