package io.github.nspawnrunner.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.Cidr;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
    @Test
    void cutsThePoolIntoSlash30s() {
        AddressPool pool = new AddressPool(Cidr.parse("10.213.0.0/16"));
        assertEquals(16384, pool.size());
        Subnet first = pool.subnet(0);
        assertEquals("10.213.0.0/30", first.toString());
        assertEquals("10.213.0.1", first.hostAddress());
        assertEquals("10.213.0.2", first.containerAddress());
        Subnet last = pool.subnet(16383);
        assertEquals("10.213.255.252/30", last.toString());
        assertEquals("10.213.255.254", last.containerAddress());
        assertThrows(IllegalArgumentException.class, () -> pool.subnet(16384));
    }

    @Test
    void aSingleSlash30IsAPoolOfOne() {
        AddressPool pool = new AddressPool(Cidr.parse("192.168.7.4/30"));
        assertEquals(1, pool.size());
        assertEquals(0, pool.firstProbe(new JobName("nsr-99")));
        assertEquals("192.168.7.6", pool.subnet(0).containerAddress());
    }

    @Test
    void firstProbeIsWithinThePoolAndTheSameInEveryProcess() {
        AddressPool pool = new AddressPool(Cidr.parse("10.0.0.0/24"));
        int probe = pool.firstProbe(new JobName("nsr-123"));
        assertTrue(probe >= 0 && probe < 64);
        assertEquals(Math.floorMod("nsr-123".hashCode(), 64), probe);
    }

    @Test
    void refusesPoolsThatCannotHoldASlash30() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> new AddressPool(Cidr.parse("10.0.0.0/31")));
        assertTrue(small.getMessage().contains("network_pool 10.0.0.0/31 must be an IPv4 network of /30 or larger"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AddressPool(Cidr.parse("fd00::/64")));
    }
}
