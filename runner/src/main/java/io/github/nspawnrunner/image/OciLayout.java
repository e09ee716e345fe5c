package io.github.nspawnrunner.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OCI image layout (what skopeo wrote): index.json, the manifest tagged TAG, and its
 * config blob, for {@link ImageConfig}.
 */
final class OciLayout {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private OciLayout() {
    }

    static ImageConfig config(Path layout, String tag) throws IOException {
        JsonNode manifest = blob(layout, manifestDigest(layout, tag));
        JsonNode config = blob(layout, manifest.path("config").path("digest").asText()).path("config");
        List<String> env = new ArrayList<>();
        for (JsonNode item : config.path("Env")) {
            env.add(item.asText());
        }
        return new ImageConfig(env, config.path("WorkingDir").asText(""), config.path("User").asText(""));
    }

    private static String manifestDigest(Path layout, String tag) throws IOException {
        for (JsonNode manifest : JSON.readTree(layout.resolve("index.json").toFile()).path("manifests")) {
            if (tag.equals(manifest.path("annotations").path(REF_NAME).asText())) {
                return manifest.path("digest").asText();
            }
        }
        throw new IOException("the OCI layout " + layout + " has no image tagged " + tag);
    }

    private static JsonNode blob(Path layout, String digest) throws IOException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException("the OCI layout " + layout + " names a blob '" + digest + "'");
        }
        return JSON.readTree(Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7))));
    }
}
