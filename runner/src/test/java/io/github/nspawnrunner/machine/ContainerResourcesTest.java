package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.ResourceLimit;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.systemd.ResourceControl;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerResourcesTest {
    @Test
    void unlimitedStaysUnlimitedAndNoBlockDeviceIsAllowed() {
        Map<ResourceLimit, Long> values = new EnumMap<>(ResourceLimit.class);
        values.put(ResourceLimit.MEMORY_MAX, ResourceLimit.UNLIMITED);
        values.put(ResourceLimit.CPU_QUOTA, 200L);
        values.put(ResourceLimit.TASKS_MAX, ResourceLimit.UNLIMITED);
        values.put(ResourceLimit.IO_WEIGHT, 100L);
        ResourceControl control = ContainerResources.of(new ResourceLimits(values));
        assertEquals(ResourceControl.UNLIMITED, control.memoryMax());
        assertEquals(200, control.cpuQuotaPercent());
        assertEquals(ResourceControl.UNLIMITED, control.tasksMax());
        assertTrue(control.deviceAllow().contains(new ResourceControl.DeviceAccess("/dev/net/tun", "rwm")));
        control.deviceAllow().forEach(device -> assertFalse(device.device().startsWith("block-"), device.toString()));
        control.deviceAllow().stream().filter(device -> device.device().equals("char-pts"))
                .forEach(pts -> assertEquals("rw", pts.access(), "ptys are opened, never created"));
    }

    @Test
    void theDefaultLimitsContainAForkBombOutOfTheBox() {
        assertTrue(ResourceLimit.TASKS_MAX.parse(ResourceLimit.TASKS_MAX.defaultValue(), 0) < ResourceLimit.UNLIMITED);
        assertTrue(ResourceLimit.MEMORY_MAX.parse(ResourceLimit.MEMORY_MAX.defaultValue(), 1L << 34) < 1L << 34,
                "a job cannot take all of the host's memory by default");
    }
}
