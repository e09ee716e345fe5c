package io.github.nspawnrunner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceLimitTest {
    private static final long HOST_MEMORY = 16L << 30;

    private static long parse(ResourceLimit limit, String text) {
        return limit.parse(text, HOST_MEMORY);
    }

    @Test
    void memoryIsASizeAShareOfTheHostOrInfinity() {
        assertEquals(512L << 20, parse(ResourceLimit.MEMORY_MAX, "512M"));
        assertEquals(8L << 30, parse(ResourceLimit.MEMORY_MAX, "8G"));
        assertEquals(8L << 30, parse(ResourceLimit.MEMORY_MAX, "8g"));
        assertEquals(1L << 40, parse(ResourceLimit.MEMORY_MAX, "1T"));
        assertEquals(65536L << 10, parse(ResourceLimit.MEMORY_MAX, "65536K"));
        assertEquals(1073741824L, parse(ResourceLimit.MEMORY_MAX, "1073741824"));
        assertEquals(50 * (HOST_MEMORY / 100), parse(ResourceLimit.MEMORY_MAX, "50%"));
        assertEquals(100 * (HOST_MEMORY / 100), parse(ResourceLimit.MEMORY_MAX, "100%"));
        assertEquals(ResourceLimit.UNLIMITED, parse(ResourceLimit.MEMORY_MAX, "infinity"));
        assertEquals(8L << 30, parse(ResourceLimit.MEMORY_MAX, " 8G "));
    }

    @Test
    void cpuQuotaIsAShareOfOneCpu() {
        assertEquals(50, parse(ResourceLimit.CPU_QUOTA, "50%"));
        assertEquals(400, parse(ResourceLimit.CPU_QUOTA, "400%"));
        assertEquals(ResourceLimit.UNLIMITED, parse(ResourceLimit.CPU_QUOTA, "infinity"));
    }

    @Test
    void tasksAndIoWeightAreWholeNumbers() {
        assertEquals(8192, parse(ResourceLimit.TASKS_MAX, "8192"));
        assertEquals(16, parse(ResourceLimit.TASKS_MAX, "16"));
        assertEquals(ResourceLimit.UNLIMITED, parse(ResourceLimit.TASKS_MAX, "infinity"));
        assertEquals(1, parse(ResourceLimit.IO_WEIGHT, "1"));
        assertEquals(10_000, parse(ResourceLimit.IO_WEIGHT, "10000"));
    }

    @Test
    void anythingElseIsRefusedWithWhatIsExpected() {
        // out of range, wrong unit, not a number, and what would smuggle text into a unit property
        List<String> memory = List.of("", "8X", "8GB", "-1G", "1.5G", "31M", "101%", "0%", "16777216T", "9999999999999999",
                "8G\n", "8G;TasksMax=1", "infinity ", "Infinity", "1e9", "0x100");
        List<String> cpu = List.of("", "2", "0%", "-50%", "100001%", "50 %", "1.5%", "max", "50%\nx");
        List<String> tasks = List.of("", "15", "0", "-1", "8k", "1e4", "8192;", "999999999999999999");
        List<String> io = List.of("", "0", "10001", "infinity", "100%", "50.0");
        for (var entry : List.of(
                java.util.Map.entry(ResourceLimit.MEMORY_MAX, memory), java.util.Map.entry(ResourceLimit.CPU_QUOTA, cpu),
                java.util.Map.entry(ResourceLimit.TASKS_MAX, tasks), java.util.Map.entry(ResourceLimit.IO_WEIGHT, io))) {
            ResourceLimit limit = entry.getKey();
            for (String text : entry.getValue()) {
                if (text.equals("infinity ") || text.equals("8G\n")) {
                    continue; // surrounding white space is trimmed: checked below
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(limit, text),
                        limit.key() + " '" + text + "'");
                assertEquals(limit.expected(), e.getMessage());
            }
        }
    }

    @Test
    void formatIsWhatParseReadsBack() {
        assertEquals("8G", ResourceLimit.MEMORY_MAX.format(8L << 30));
        assertEquals("512M", ResourceLimit.MEMORY_MAX.format(512L << 20));
        assertEquals("1536M", ResourceLimit.MEMORY_MAX.format(1536L << 20));
        assertEquals("2T", ResourceLimit.MEMORY_MAX.format(2L << 40));
        assertEquals("33554433", ResourceLimit.MEMORY_MAX.format(33554433));
        assertEquals("infinity", ResourceLimit.MEMORY_MAX.format(ResourceLimit.UNLIMITED));
        assertEquals("200%", ResourceLimit.CPU_QUOTA.format(200));
        assertEquals("infinity", ResourceLimit.CPU_QUOTA.format(ResourceLimit.UNLIMITED));
        assertEquals("8192", ResourceLimit.TASKS_MAX.format(8192));
        assertEquals("100", ResourceLimit.IO_WEIGHT.format(100));
        for (ResourceLimit limit : ResourceLimit.values()) {
            for (String text : List.of("infinity", "16", "100", "512M", "3G", "250%", "33554433")) {
                long value;
                try {
                    value = parse(limit, text);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                assertEquals(value, parse(limit, limit.format(value)), limit.key() + " " + text);
            }
        }
    }

    @Test
    void namesOfKeysAndJobVariables() {
        assertEquals("memory_max", ResourceLimit.MEMORY_MAX.key());
        assertEquals("cpu_quota_allowed", ResourceLimit.CPU_QUOTA.allowedKey());
        assertEquals("NSPAWN_RUNNER_TASKS_MAX", ResourceLimit.TASKS_MAX.jobVariable());
        for (ResourceLimit limit : ResourceLimit.values()) {
            parse(limit, limit.defaultValue());
        }
    }
}
