package io.github.nspawnrunner.config;

import java.util.List;

/**
 * What the admin allows of OCI images as job images.
 *
 * @param registries registry hosts ({@code host[:port]}, {@code docker.io} for Docker Hub) jobs may
 *                   pull from; none (the default) refuses every image
 * @param allowed    patterns a job's normalized reference must match (one of them)
 * @param cacheMax   bytes the unpacked images may take before the least recently used idle ones go
 * @param maxSize    bytes one image may take, its download and its unpacked tree each
 * @param pullPolicy when a reference is resolved and fetched
 */
public record ImageSettings(List<String> registries, List<ImagePattern> allowed, long cacheMax, long maxSize,
        PullPolicy pullPolicy) {
    public ImageSettings {
        registries = List.copyOf(registries);
        allowed = List.copyOf(allowed);
    }

    /** Docker Hub's other names, as docker config files write them, are docker.io. */
    public static String normalizeRegistry(String host) {
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }
}
