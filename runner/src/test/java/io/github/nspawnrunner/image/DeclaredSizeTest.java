package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DeclaredSizeTest {
    private static DeclaredSize of(String json, String arch) throws IOException {
        return DeclaredSize.of(json.getBytes(StandardCharsets.UTF_8), arch);
    }

    @Test
    void anImageManifestDeclaresTheSumOfItsLayers() throws IOException {
        DeclaredSize declared = of("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"digest\":\"sha256:c\",\"size\":1500},\"layers\":[{\"digest\":\"sha256:a\",\"size\":1000},"
                + "{\"digest\":\"sha256:b\",\"size\":234}]}", "amd64");
        assertEquals(OptionalLong.of(1234), declared.layers(), "layers only: the config is small and not on disk for long");
        assertEquals(List.of(), declared.platformManifests());
    }

    @Test
    void aManifestListNamesTheManifestsOfThisHostsPlatform() throws IOException {
        String list = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
                + "\"manifests\":[{\"digest\":\"sha256:" + "8".repeat(64) + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"digest\":\"sha256:" + "7".repeat(64) + "\",\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
                + "{\"digest\":\"sha256:" + "6".repeat(64) + "\",\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}},"
                + "{\"digest\":\"sha256:" + "9".repeat(64) + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\"}}]}";
        assertEquals(List.of("sha256:" + "8".repeat(64)), of(list, "amd64").platformManifests());
        assertEquals(List.of("sha256:" + "7".repeat(64), "sha256:" + "6".repeat(64)), of(list, "arm").platformManifests(),
                "every variant: the largest counts");
        assertEquals(OptionalLong.empty(), of(list, "amd64").layers());
    }

    @Test
    void aManifestListIsReadAsTheRegistrysWordOnly() throws IOException {
        String entry = "{\"digest\":\"%s\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}";
        StringBuilder list = new StringBuilder("{\"manifests\":[" + entry.formatted("../../etc") + "," + entry.formatted("sha256:AB"));
        for (int i = 0; i < 10; i++) {
            list.append(",").append(entry.formatted("sha256:" + String.valueOf(i).repeat(64)));
        }
        List<String> digests = of(list + "]}", "amd64").platformManifests();
        assertEquals(DeclaredSize.MOST_PLATFORM_MANIFESTS, digests.size(), "a few requests at most: " + digests);
        assertEquals("sha256:" + "0".repeat(64), digests.get(0), "what is not a digest is passed over");
        assertEquals(OptionalLong.of(Long.MAX_VALUE), of("{\"layers\":[{\"size\":9223372036854775807},{\"size\":1}]}", "amd64")
                .layers(), "a sum past a long is as large as can be");
    }

    @Test
    void aManifestWithoutSizesDeclaresNothing() throws IOException {
        assertEquals(OptionalLong.empty(), of("{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"sha256:a\"}]}", "amd64").layers());
        assertEquals(OptionalLong.empty(), of("{\"layers\":[{\"digest\":\"sha256:a\"}]}", "amd64").layers());
    }

    @Test
    void theJvmsArchitectureIsNamedAsOciNamesIt() {
        assertEquals("amd64", DeclaredSize.architecture("amd64"));
        assertEquals("arm64", DeclaredSize.architecture("aarch64"));
        assertEquals("386", DeclaredSize.architecture("x86"));
        assertEquals("ppc64le", DeclaredSize.architecture("ppc64le"));
    }
}
