package io.github.nspawnrunner.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nspawnrunner.config.ImageSettings;
import io.github.nspawnrunner.failure.ExecutorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry credentials a job brings, as gitlab-runner's docker executor takes them: the job
 * variable DOCKER_AUTH_CONFIG (a docker config.json: {@code {"auths": {"host[:port]": {"auth":
 * base64("user:password")}}}}), then, for the GitLab registry, CI_REGISTRY, CI_REGISTRY_USER and
 * CI_REGISTRY_PASSWORD. They are the job's own: a job that names another registry in them only
 * sends its own secrets there. Credential helpers (credsStore, credHelpers) are not run: they would
 * be host programs chosen by the job.
 */
public final class JobCredentials {
    public static final String DOCKER_AUTH_CONFIG = "DOCKER_AUTH_CONFIG";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RegistryCredentials> entries;

    private JobCredentials(List<RegistryCredentials> entries) {
        this.entries = List.copyOf(entries);
    }

    public static JobCredentials none() {
        return new JobCredentials(List.of());
    }

    /** From the job's variables (by name, without gitlab-runner's CUSTOM_ENV_ prefix). */
    public static JobCredentials from(Function<String, Optional<String>> variables) {
        List<RegistryCredentials> entries = new ArrayList<>();
        Optional<String> authConfig = variables.apply(DOCKER_AUTH_CONFIG);
        if (authConfig.isPresent()) {
            entries.addAll(dockerAuthConfig(authConfig.get()));
        }
        Optional<String> registry = variables.apply("CI_REGISTRY");
        Optional<String> user = variables.apply("CI_REGISTRY_USER");
        Optional<String> password = variables.apply("CI_REGISTRY_PASSWORD");
        if (registry.isPresent() && user.isPresent() && password.isPresent()) {
            entries.add(new RegistryCredentials(registryHost(registry.get()), user.get(), password.get()));
        }
        return new JobCredentials(entries);
    }

    public static JobCredentials from(Map<String, String> variables) {
        return from(name -> Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty()));
    }

    /** The credentials for REGISTRY (host[:port]): DOCKER_AUTH_CONFIG's first, then the GitLab registry's. */
    public Optional<RegistryCredentials> forRegistry(String registry) {
        for (RegistryCredentials entry : entries) {
            if (entry.registry().equals(registry)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private static List<RegistryCredentials> dockerAuthConfig(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input: never repeat it, it holds secrets
            throw ExecutorException.build("job variable DOCKER_AUTH_CONFIG is not JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): expected a docker config.json"
                    + " such as {\"auths\": {\"registry.example.com\": {\"auth\": \"<base64 of user:password>\"}}}");
        }
        JsonNode auths = root == null ? null : root.get("auths");
        if (auths == null || !auths.isObject()) {
            throw ExecutorException.build("job variable DOCKER_AUTH_CONFIG has no \"auths\" object: expected a docker"
                    + " config.json such as {\"auths\": {\"registry.example.com\": {\"auth\": \"<base64 of user:password>\"}}}");
        }
        List<RegistryCredentials> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = auths.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String registry = registryHost(field.getKey());
            entries.add(entry(registry, field.getValue()));
        }
        return entries;
    }

    private static RegistryCredentials entry(String registry, JsonNode auth) {
        String encoded = text(auth, "auth");
        if (encoded != null && !encoded.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ExecutorException.build("job variable DOCKER_AUTH_CONFIG: the \"auth\" of " + registry + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw ExecutorException.build("job variable DOCKER_AUTH_CONFIG: the \"auth\" of " + registry
                        + " is not the base64 of user:password");
            }
            return new RegistryCredentials(registry, decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        String username = text(auth, "username");
        String password = text(auth, "password");
        if (username == null || password == null) {
            throw ExecutorException.build("job variable DOCKER_AUTH_CONFIG: " + registry
                    + " has neither \"auth\" nor \"username\" and \"password\"");
        }
        return new RegistryCredentials(registry, username, password);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /**
     * A docker config's key as image references name registries: "https://index.docker.io/v1/" is
     * docker.io, "http://registry.example.com:5000/" is registry.example.com:5000.
     */
    static String registryHost(String key) {
        String host = key.trim();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return ImageSettings.normalizeRegistry(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "job credentials for " + entries.stream().map(RegistryCredentials::registry).toList();
    }
}
