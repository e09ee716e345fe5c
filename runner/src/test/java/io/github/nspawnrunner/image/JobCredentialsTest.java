package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobCredentialsTest {
    private static String auth(String userAndPassword) {
        return Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dockerAuthConfigByRegistry() {
        String config = "{\"auths\": {"
                + "\"https://index.docker.io/v1/\": {\"auth\": \"" + auth("hubuser:hub:pass") + "\"},"
                + "\"registry.example.com:5000\": {\"auth\": \"" + auth("team:s3cret") + "\"},"
                + "\"http://Other.example.com/v2/\": {\"username\": \"u\", \"password\": \"p\"}}}";
        JobCredentials credentials = JobCredentials.from(Map.of("DOCKER_AUTH_CONFIG", config));
        assertEquals(Optional.of(new RegistryCredentials("docker.io", "hubuser", "hub:pass")), credentials.forRegistry("docker.io"),
                "a password may hold ':'");
        assertEquals("s3cret", credentials.forRegistry("registry.example.com:5000").orElseThrow().password());
        assertEquals(Optional.empty(), credentials.forRegistry("registry.example.com"), "the port is part of the registry");
        assertEquals("u", credentials.forRegistry("other.example.com").orElseThrow().username());
        assertEquals(Optional.empty(), credentials.forRegistry("ghcr.io"));
    }

    @Test
    void theGitlabRegistryAfterDockerAuthConfig() {
        Map<String, String> variables = Map.of("CI_REGISTRY", "gitlab.example.com:5050", "CI_REGISTRY_USER", "gitlab-ci-token",
                "CI_REGISTRY_PASSWORD", "job-token");
        assertEquals(Optional.of(new RegistryCredentials("gitlab.example.com:5050", "gitlab-ci-token", "job-token")),
                JobCredentials.from(variables).forRegistry("gitlab.example.com:5050"));
        Map<String, String> both = new java.util.HashMap<>(variables);
        both.put("DOCKER_AUTH_CONFIG", "{\"auths\": {\"gitlab.example.com:5050\": {\"auth\": \"" + auth("deploy:token") + "\"}}}");
        assertEquals("deploy", JobCredentials.from(both).forRegistry("gitlab.example.com:5050").orElseThrow().username(),
                "DOCKER_AUTH_CONFIG wins, as in gitlab-runner");
        assertEquals(Optional.empty(), JobCredentials.from(Map.of("CI_REGISTRY", "gitlab.example.com:5050",
                "CI_REGISTRY_USER", "gitlab-ci-token")).forRegistry("gitlab.example.com:5050"), "no password, no credentials");
        assertEquals(Optional.empty(), JobCredentials.none().forRegistry("docker.io"));
    }

    @Test
    void neverPrintsAPassword() {
        JobCredentials credentials = JobCredentials.from(Map.of("DOCKER_AUTH_CONFIG",
                "{\"auths\": {\"r.example.com\": {\"auth\": \"" + auth("me:topsecret") + "\"}}}"));
        assertFalse(credentials.toString().contains("topsecret"));
        assertFalse(credentials.forRegistry("r.example.com").orElseThrow().toString().contains("topsecret"));
        assertEquals("credentials of me for r.example.com", credentials.forRegistry("r.example.com").orElseThrow().toString());
    }

    @Test
    void aBadDockerAuthConfigIsTheJobsFaultInOneLineWithoutItsContent() {
        for (String bad : new String[] {"{\"auths\": {\"r\": {\"auth\": \"topsecret!!\"}}}", "topsecret", "{\"topsecret\": 1}",
                "{\"auths\": {\"r\": {\"auth\": \"" + auth("topsecret") + "\"}}}", "{\"auths\": {\"r\": {\"username\": \"topsecret\"}}}",
                "{\"auths\": {\"r\": \"topsecret\"", "[\"topsecret\"]"}) {
            ExecutorException e = assertThrows(ExecutorException.class, () -> JobCredentials.from(Map.of("DOCKER_AUTH_CONFIG", bad)), bad);
            assertEquals(FailureKind.BUILD, e.kind());
            assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("job variable DOCKER_AUTH_CONFIG"), e.getMessage());
        }
    }
}
