package io.github.nspawnrunner.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobNameTest {
    @Test
    void shortMachineNamesNameTheirLinkAndTableThemselves() {
        JobName job = new JobName("nsr-42");
        assertEquals("nsr-42", job.hostInterface());
        assertEquals("nsr-42", job.table());
        assertEquals("nsr-12345678901", new JobName("nsr-12345678901").hostInterface());
    }

    @Test
    void longMachineNamesGetADistinctLinkNameOfAtMost15Characters() {
        Set<String> links = new HashSet<>();
        IntStream.range(0, 20_000).forEach(i -> {
            String link = new JobName("runnerprefix-" + (123_456_789_000L + i)).hostInterface();
            assertTrue(link.length() <= 15, link);
            assertTrue(link.startsWith("runner-"), link);
            links.add(link);
        });
        assertEquals(20_000, links.size());
        assertEquals(new JobName("runnerprefix-1234567").hostInterface(), new JobName("runnerprefix-1234567").hostInterface());
        assertNotEquals(new JobName("abcdefghijklmnop-1").hostInterface(), new JobName("abcdefghijklmnop-2").hostInterface());
    }

    @Test
    void refusesNamesThatCouldBreakOutOfNftOrIp() {
        for (String bad : new String[] {"", "nsr 1", "nsr;1", "NSR-1", "-nsr", "nsr-1\"", "nsr/1", "nsr-1\n"}) {
            assertThrows(IllegalArgumentException.class, () -> new JobName(bad), bad);
        }
    }
}
