package io.github.nspawnrunner.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.nspawnrunner.systemd.ResourceControl.DeviceAccess;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.Test;

class ResourcePropertiesTest {
    private static Map<String, Object> properties(ResourceControl resources) {
        Map<String, Object> byName = new LinkedHashMap<>();
        UnitControl.resourceProperties(resources).forEach(p -> byName.put(p.name, p.value.getValue()));
        return byName;
    }

    @Test
    void limitsBecomeSystemdsUnitsAndTheDevicePolicyIsClosed() {
        Map<String, Object> set = properties(new ResourceControl(List.of(new DeviceAccess("/dev/null", "rwm")),
                2L << 30, 150, 512, 50));
        assertEquals("closed", set.get("DevicePolicy"));
        assertEquals(new UInt64(2L << 30), set.get("MemoryMax"));
        assertEquals(new UInt64(0), set.get("MemorySwapMax"), "no swap beyond the memory limit");
        assertEquals(new UInt64(1_500_000), set.get("CPUQuotaPerSecUSec"), "150 % of a CPU: 1.5 s per second");
        assertEquals(new UInt64(512), set.get("TasksMax"));
        assertEquals(new UInt64(50), set.get("IOWeight"));
        assertEquals("continue", set.get("OOMPolicy"), "an OOM kill fails the stage, it does not stop the container");
    }

    @Test
    void aJobsSliceCarriesTheSameLimitsAndDevicePolicyButNoServicesOomPolicy() {
        ResourceControl resources = new ResourceControl(List.of(new DeviceAccess("/dev/null", "rwm")), 64L << 20, 50, 100, 200);
        Map<String, Object> slice = new LinkedHashMap<>();
        UnitControl.sliceProperties("job 42", resources).forEach(p -> slice.put(p.name, p.value.getValue()));
        Map<String, Object> service = properties(resources);
        service.remove("OOMPolicy");
        assertEquals("job 42", slice.remove("Description"));
        assertEquals(service.keySet(), slice.keySet());
        service.forEach((name, value) -> assertEquals(String.valueOf(value), String.valueOf(slice.get(name)), name));
    }

    @Test
    void unlimitedIsSystemdsInfinity() {
        long unlimited = ResourceControl.UNLIMITED;
        Map<String, Object> set = properties(new ResourceControl(List.of(), unlimited, unlimited, unlimited, 100));
        UInt64 infinity = new UInt64(new BigInteger("18446744073709551615"));
        assertEquals(infinity, set.get("MemoryMax"));
        assertEquals(infinity, set.get("CPUQuotaPerSecUSec"));
        assertEquals(infinity, set.get("TasksMax"));
        assertEquals(null, set.get("MemorySwapMax"), "swap stays as the host has it when memory is unlimited");
    }
}
