package io.github.nspawnrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesIpv4AndIpv6InCanonicalForm() {
        assertEquals("169.254.0.0/16", Cidr.parse("169.254.0.0/16").toString());
        assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
        assertEquals("192.168.1.1/32", Cidr.parse(" 192.168.1.1/32 ").toString());
        assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());
        assertEquals("fd00:0:0:0:0:0:0:0/8", Cidr.parse("fd12::1/8").toString());
        assertEquals("0:0:0:0:0:0:0:1/128", Cidr.parse("::1/128").toString());
        assertTrue(Cidr.parse("10.0.0.0/8").isIpv4());
        assertFalse(Cidr.parse("fd00::/8").isIpv4());
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.255.255.255/8"));
    }

    @Test
    void firstAddressCountsFromTheNetwork() {
        assertEquals(0x0AD50000L, Cidr.parse("10.213.0.0/16").firstAddress());
        assertEquals(0xC0A80100L, Cidr.parse("192.168.1.77/24").firstAddress());
    }

    @Test
    void refusesAnythingButAnAddressAndAPrefix() {
        // no names (no lookup may happen), no missing or excess prefix, nothing that could end or
        // extend an nftables rule or a command line
        for (String text : List.of("", "10.0.0.0", "10.0.0.0/", "/8", "10.0.0.0/33", "fd00::/129", "10.0.0/8x",
                "256.0.0.0/8", "10.0.0.0/8/8", "example.com/8", "localhost/8", "10.0.0.0/-1", "10.0.0.0 /8",
                "10.0.0.0/8; drop", "10.0.0.0/8 accept", "10.0.0.0/8\naccept", "10.0.0.0/8,10.1.0.0/16", "{10.0.0.0/8}",
                "10.0.0.0/8 } ; flush ruleset", "$(reboot)/8", "10.0.0.0/0008", "::ffff:10.0.0.0/8x", "a/8", "1111/8", "10/8", "10.1/16", "10.0.1/24", "1.2.3.4.5/32")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), "'" + text + "'");
        }
    }

    @Test
    void whatItPrintsIsOnlyAddressCharacters() {
        for (String text : List.of("10.0.0.0/8", "fd00::/8", "1.2.3.4/32")) {
            assertTrue(Cidr.parse(text).toString().matches("[0-9a-f.:]+/[0-9]{1,3}"), text);
        }
    }
}
