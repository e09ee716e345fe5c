package io.github.nspawnrunner.lava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.common.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LavaHttpTest {
    @Test
    void aServerThatIsDownIsRetriedWithBackoffUntilThePolicyGivesUp() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        VirtualTicker ticker = new VirtualTicker();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LavaHttp http = new LavaHttp(HttpClient.newHttpClient(), LavaEndpoint.parse("http://127.0.0.1:" + port),
                LavaToken.of("t"), new RequestBudget(ticker, 6000), ticker,
                new Log(new PrintStream(err, true, StandardCharsets.UTF_8), false), Duration.ofSeconds(2));
        long start = ticker.nanos();

        LavaServerException e = assertThrows(LavaServerException.class,
                () -> http.get("jobs/1/", RetryPolicy.unbounded(Duration.ofSeconds(60)).limitedTo(4)));

        assertTrue(e.getMessage().startsWith("GET /api/v0.2/jobs/1/ failed 4 times, last: cannot connect"), e.getMessage());
        assertEquals(3, err.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("cannot connect")).count());
        assertEquals(Duration.ofSeconds(1 + 2 + 4), ticker.elapsedSince(start));
    }
}
