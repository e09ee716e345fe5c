package io.github.nspawnrunner.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a raw manifest says of an image's download before any layer is fetched: the sum of its
 * layers' sizes (compressed), or, for a manifest list or OCI index, the digests of the manifests
 * of this host's platform, one of which skopeo will fetch. skopeo 1.9 (Debian 12) has no layer
 * sizes in its own inspect output (LayersData came with 1.10), so the manifest is read here.
 * The sizes are the registry's word: a layer whose bytes have the digest the manifest names has
 * exactly the declared size, and the pull is watched anyway ({@link PullBudget}).
 */
record DeclaredSize(OptionalLong layers, List<String> platformManifests) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /** The platform's manifests looked at, at most: each is one more request, and skopeo takes one of them. */
    static final int MOST_PLATFORM_MANIFESTS = 4;

    DeclaredSize {
        platformManifests = List.copyOf(platformManifests);
    }

    /**
     * What MANIFEST declares for a host of architecture ARCH (Go's name: amd64, arm64, ...): the
     * registry's words, so a digest that is not one, or a sum past a long, declares nothing.
     */
    static DeclaredSize of(byte[] manifest, String arch) throws IOException {
        JsonNode root = JSON.readTree(manifest);
        if (root.path("manifests").isArray()) {
            List<String> digests = new ArrayList<>();
            for (JsonNode entry : root.path("manifests")) {
                JsonNode platform = entry.path("platform");
                String digest = entry.path("digest").asText();
                if (platform.path("os").asText().equals("linux") && platform.path("architecture").asText().equals(arch)
                        && DIGEST.matcher(digest).matches() && digests.size() < MOST_PLATFORM_MANIFESTS) {
                    digests.add(digest);
                }
            }
            return new DeclaredSize(OptionalLong.empty(), digests);
        }
        long sum = 0;
        // schema 1 manifests (fsLayers) declare no sizes: unknown, the watch alone bounds the pull
        if (!root.path("layers").isArray()) {
            return new DeclaredSize(OptionalLong.empty(), List.of());
        }
        for (JsonNode layer : root.path("layers")) {
            if (!layer.path("size").canConvertToLong() || layer.path("size").asLong() < 0) {
                return new DeclaredSize(OptionalLong.empty(), List.of());
            }
            try {
                sum = Math.addExact(sum, layer.path("size").asLong());
            } catch (ArithmeticException e) {
                return new DeclaredSize(OptionalLong.of(Long.MAX_VALUE), List.of());
            }
        }
        return new DeclaredSize(OptionalLong.of(sum), List.of());
    }

    /** This host's architecture as OCI (Go) names it. */
    static String hostArchitecture() {
        return architecture(System.getProperty("os.arch"));
    }

    /** The JVM's os.arch OSARCH as OCI (Go) names it. */
    static String architecture(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch; // arm, ppc64le, s390x, riscv64 are the same words
        };
    }
}
