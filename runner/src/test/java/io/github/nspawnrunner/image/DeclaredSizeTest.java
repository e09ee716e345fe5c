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
                + "\"manifests\":[{\"digest\":\"sha256:x86\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"digest\":\"sha256:v7\",\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
                + "{\"digest\":\"sha256:v6\",\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}},"
                + "{\"digest\":\"sha256:win\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\"}}]}";
        assertEquals(List.of("sha256:x86"), of(list, "amd64").platformManifests());
        assertEquals(List.of("sha256:v7", "sha256:v6"), of(list, "arm").platformManifests(), "every variant: the largest counts");
        assertEquals(OptionalLong.empty(), of(list, "amd64").layers());
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
