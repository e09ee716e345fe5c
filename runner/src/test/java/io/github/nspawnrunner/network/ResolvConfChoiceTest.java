package io.github.nspawnrunner.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolvConfChoiceTest {
    @Test
    void aHostWithARealNameserverIsCopied() {
        assertEquals(new ResolvConfChoice("copy-host", Optional.empty()),
                ResolvConfChoice.choose("# made by hand\nsearch lab\nnameserver 10.0.0.2\n", Optional.empty()));
        assertEquals("copy-host", ResolvConfChoice.choose("nameserver 127.0.0.1\nnameserver 192.168.1.1\n", Optional.empty()).mode());
    }

    @Test
    void resolvedsStubLeadsToItsUplinkFile() {
        ResolvConfChoice choice = ResolvConfChoice.choose("nameserver 127.0.0.53\noptions edns0 trust-ad\n",
                Optional.of("nameserver 192.168.1.1\nnameserver fe80::1%2\n"));
        assertEquals(new ResolvConfChoice("copy-uplink", Optional.empty()), choice);
    }

    @Test
    void onlyLoopbackNameserversGiveAWarningThatSaysWhy() {
        ResolvConfChoice choice = ResolvConfChoice.choose("nameserver 127.0.0.1\n", Optional.empty());
        assertEquals("copy-host", choice.mode());
        String warning = choice.warning().orElseThrow();
        assertTrue(warning.startsWith("names cannot be resolved in private-network jobs: /etc/resolv.conf names only loopback"
                + " nameservers (127.0.0.1)"), warning);
        assertTrue(!warning.contains("\n"), warning);
        assertTrue(ResolvConfChoice.choose("nameserver 127.0.0.53\n", Optional.of("# no servers\n")).warning().isPresent());
        assertTrue(ResolvConfChoice.choose("", Optional.empty()).warning().orElseThrow().contains("names no nameserver"));
    }
}
