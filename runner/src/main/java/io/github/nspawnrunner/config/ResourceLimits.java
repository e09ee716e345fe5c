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

    /** For logs: "memory_max 2G, cpu_quota infinity, tasks_max 8192, io_weight 100". */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (ResourceLimit limit : ResourceLimit.values()) {
            text.append(text.length() == 0 ? "" : ", ").append(limit.key()).append(' ').append(limit.format(get(limit)));
        }
        return text.toString();
    }

    public ResourceLimits with(ResourceLimit limit, long value) {
        Map<ResourceLimit, Long> changed = new EnumMap<>(values);
        changed.put(limit, value);
        return new ResourceLimits(changed);
    }
}
