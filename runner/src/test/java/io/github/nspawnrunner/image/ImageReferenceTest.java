package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /** Docker's own normalization (distribution/reference ParseNormalizedNamed + TagNameOnly). */
    @ParameterizedTest
    @CsvSource({
        "debian,                                      docker.io/library/debian:latest",
        "debian:12,                                   docker.io/library/debian:12",
        "library/debian:12,                           docker.io/library/debian:12",
        "docker.io/debian:12,                         docker.io/library/debian:12",
        "docker.io/library/debian:12,                 docker.io/library/debian:12",
        "index.docker.io/debian,                      docker.io/library/debian:latest",
        "user/repo:tag,                               docker.io/user/repo:tag",
        "user/repo/deeper,                            docker.io/user/repo/deeper:latest",
        "registry.example.com:5000/team/env:2026.11,  registry.example.com:5000/team/env:2026.11",
        "registry.example.com:5000/team/env,          registry.example.com:5000/team/env:latest",
        "localhost/app,                               localhost/app:latest",
        "localhost:5000/app:v1,                       localhost:5000/app:v1",
        "127.0.0.1:5000/test/base:1,                  127.0.0.1:5000/test/base:1",
        "Registry/app,                                Registry/app:latest",
        "ghcr.io/a_b/c__d/e-f.g:v1.2-3_x,             ghcr.io/a_b/c__d/e-f.g:v1.2-3_x",
        "gcr.io/a---b:_x,                             gcr.io/a---b:_x",
    })
    void normalizesAsDockerDoes(String text, String normalized) {
        assertEquals(normalized, ImageReference.parse(text).toString());
    }

    @Test
    void digestForms() {
        ImageReference pinned = ImageReference.parse("debian@sha256:" + HEX);
        assertEquals("docker.io", pinned.registry());
        assertEquals("library/debian", pinned.repository());
        assertNull(pinned.tag(), "no tag is added beside a digest");
        assertEquals("sha256:" + HEX, pinned.digest());
        assertEquals("docker.io/library/debian@sha256:" + HEX, pinned.transportReference());

        ImageReference both = ImageReference.parse("registry.example.com:5000/team/env:2026.11@sha256:" + HEX);
        assertEquals("registry.example.com:5000", both.registry());
        assertEquals("2026.11", both.tag());
        assertEquals("registry.example.com:5000/team/env:2026.11@sha256:" + HEX, both.toString());
        assertEquals("registry.example.com:5000/team/env@sha256:" + HEX, both.transportReference(), "skopeo gets the digest only");
    }

    @Test
    void partsOfATaggedReference() {
        ImageReference ref = ImageReference.parse("registry.example.com:5000/team/env:2026.11");
        assertEquals("registry.example.com:5000", ref.registry());
        assertEquals("team/env", ref.repository());
        assertEquals("2026.11", ref.tag());
        assertNull(ref.digest());
        assertEquals("registry.example.com:5000/team/env", ref.name());
        assertEquals("registry.example.com:5000/team/env:2026.11@sha256:" + HEX, ref.withDigest("sha256:" + HEX).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "Debian", "debian:", ":12", "debian:-x", "debian:.x", "debian::12", "debian@", "debian@sha256:abc",
        "debian@sha512:" + HEX, "debian@sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "/debian", "debian/", "a//b", "user/Repo", "-x/y", "registry.example.com:5000/", "exa mple/x", "debian:12 ",
        "../etc/passwd", "/var/lib/chroot", "a@b@c", "-reg.io/x", "reg-.io/x", "reg.io:port/x",
        "deb\nian", "a__-b", "a...b",
    })
    void refusesWithOneLine(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(text));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("is not an image reference"), e.getMessage());
        assertTrue(ImageReference.tryParse(text).isEmpty());
    }

    @Test
    void refusesIdsAndOverlongNamesAndTags() {
        for (String text : new String[] {HEX, "x/" + "a".repeat(260), "debian:" + "t".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(text), text);
        }
    }

    @Test
    void aTagMayBe128Characters() {
        assertEquals("t".repeat(128), ImageReference.parse("debian:" + "t".repeat(128)).tag());
    }

    @Test
    void theProblemNamesWhatIsWrong() {
        assertTrue(ImageReference.problem("user/Repo").contains("lower-case"), ImageReference.problem("user/Repo"));
        assertTrue(ImageReference.problem("debian@sha256:abc").contains("64"));
        assertTrue(ImageReference.problem("deb\nian").contains("deb?ian"), "control characters are not printed");
        assertNull(ImageReference.problem("debian"));
    }
}
