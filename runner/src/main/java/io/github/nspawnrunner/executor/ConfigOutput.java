package io.github.nspawnrunner.executor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The JSON that config_exec prints for gitlab-runner (executors/custom/api/config.go). */
public record ConfigOutput(String buildsDir, String cacheDir, Optional<String> hostname, String driverVersion) {
    public static final String DRIVER_NAME = "nspawn-runner";

    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("builds_dir", buildsDir);
            json.writeStringField("cache_dir", cacheDir);
            json.writeBooleanField("builds_dir_is_shared", false);
            if (hostname.isPresent()) {
                json.writeStringField("hostname", hostname.get());
            }
            json.writeObjectFieldStart("driver");
            json.writeStringField("name", DRIVER_NAME);
            json.writeStringField("version", driverVersion);
            json.writeEndObject();
            json.writeStringField("shell", "bash");
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
