package io.github.nspawnrunner.config;

import java.util.EnumMap;
import java.util.Map;

/** A value for every {@link ResourceLimit}: the admin's defaults, or their maxima for a job's requests. */
public record ResourceLimits(Map<ResourceLimit, Long> values) {
    public ResourceLimits {
        for (ResourceLimit limit : ResourceLimit.values()) {
            if (!values.containsKey(limit)) {
                throw new IllegalArgumentException("no value for " + limit.key());
            }
        }
        values = Map.copyOf(values);
    }

    public long get(ResourceLimit limit) {
        return values.get(limit);
    }

    public ResourceLimits with(ResourceLimit limit, long value) {
        Map<ResourceLimit, Long> changed = new EnumMap<>(values);
        changed.put(limit, value);
        return new ResourceLimits(changed);
    }
}
