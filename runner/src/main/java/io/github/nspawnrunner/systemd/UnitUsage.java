package io.github.nspawnrunner.systemd;

import java.util.OptionalLong;

/**
 * A loaded unit's state and what its cgroup has used, as systemd reads it from the cgroup (v1 or
 * v2 alike): memory now, and CPU time since the unit started. Empty where accounting is off.
 */
public record UnitUsage(String activeState, OptionalLong memoryBytes, OptionalLong cpuNanos) {
}
