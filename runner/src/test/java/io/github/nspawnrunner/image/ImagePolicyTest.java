package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.ImagePattern;
import io.github.nspawnrunner.config.ImageSettings;
import io.github.nspawnrunner.config.PullPolicy;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePolicyTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static ImagePolicy policy(List<String> registries, String... patterns) {
        return new ImagePolicy(new ImageSettings(registries, List.of(patterns).stream().map(ImagePattern::parse).toList(),
                1L << 30, 1L << 30, PullPolicy.ALWAYS));
    }

    private static String refusal(ImagePolicy policy, String image) {
        ExecutorException e = assertThrows(ExecutorException.class, () -> policy.check(image));
        assertEquals(FailureKind.BUILD, e.kind(), "the job's own fault");
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void noRegistriesRefusesEverything() {
        String message = refusal(policy(List.of(), "**"), "debian:12");
        assertEquals("image docker.io/library/debian:12 refused: this runner takes no images from registries"
                + " (its admin has set no image_registries)", message);
    }

    @Test
    void aRegistryOutsideTheListIsRefused() {
        assertEquals("image ghcr.io/x/y:1 refused: registry ghcr.io is not one of this runner's image_registries"
                + " (docker.io, registry.example.com:5000)",
                refusal(policy(List.of("docker.io", "registry.example.com:5000"), "**"), "ghcr.io/x/y:1"));
        assertTrue(refusal(policy(List.of("registry.example.com:5000"), "**"), "registry.example.com/x:1")
                .contains("registry registry.example.com is not one"), "the port is part of the registry");
    }

    @Test
    void anImageMatchingNoPatternIsRefused() {
        ImagePolicy policy = policy(List.of("docker.io"), "docker.io/library/debian:*");
        assertEquals("docker.io/library/debian:12", policy.check("debian:12").toString());
        assertEquals("image docker.io/library/ubuntu:24.04 refused: it matches none of this runner's images_allowed"
                + " (docker.io/library/debian:*)", refusal(policy, "ubuntu:24.04"));
        assertTrue(refusal(policy, "debian@" + DIGEST).contains("matches none"), "a tag pattern does not allow digests");
    }

    @Test
    void aBadReferenceIsRefusedBeforeThePolicy() {
        assertTrue(refusal(policy(List.of("docker.io"), "**"), "../../etc").contains("is not an image reference"));
    }

    /** doublestar's rules, as tart's --allow-image uses them, on the normalized reference. */
    @ParameterizedTest
    @CsvSource({
        "**,                                             docker.io/library/debian:12,                  true",
        "docker.io/library/*,                            docker.io/library/debian:12,                  true",
        "docker.io/*,                                    docker.io/library/debian:12,                  false",
        "docker.io/**,                                   docker.io/library/debian:12,                  true",
        "registry.example.com:5000/team/**,              registry.example.com:5000/team/env:2026.11,   true",
        "registry.example.com:5000/team/**,              registry.example.com:5000/other/env:1,        false",
        "registry.example.com:5000/team/env:2026.??,     registry.example.com:5000/team/env:2026.11,   true",
        "registry.example.com:5000/team/env:2026.?,      registry.example.com:5000/team/env:2026.11,   false",
        "'docker.io/library/debian:{11,12}',             docker.io/library/debian:12,                  true",
        "'docker.io/library/debian:{11,12}',             docker.io/library/debian:13,                  false",
        "docker.io/library/debian:1[0-2],                docker.io/library/debian:11,                  true",
        "docker.io/library/debian:1[!0-2],               docker.io/library/debian:11,                  false",
        "docker.io/library/debian[:@]*,                  docker.io/library/debian@sha256:00,           true",
        "docker.io/library/debian*,                      docker.io/library/debian-slim:1,              true",
        "docker.io/library/debian:12,                    docker.io/library/debian:12.1,                false",
        "docker.io/library/deb.an:12,                    docker.io/library/debian:12,                  false",
        "ghcr.io/a/\\*,                                  ghcr.io/a/*,                                  true",
        "ghcr.io/a/\\*,                                  ghcr.io/a/b,                                  false",
    })
    void globsMatchTheWholeReference(String glob, String reference, boolean matches) {
        assertEquals(matches, ImagePattern.parse(glob).matches(reference), glob + " vs " + reference);
    }

    @Test
    void badPatternsAreRefused() {
        for (String glob : List.of("", "a[b", "a{b,c", "a}b", "a\\", "[]")) {
            assertThrows(IllegalArgumentException.class, () -> ImagePattern.parse(glob), glob);
        }
    }
}
