package io.github.nspawnrunner.lava;

import java.net.URI;
import java.net.URISyntaxException;

/** The base address of a LAVA server (e.g. {@code https://lava.example.org}), and the addresses derived from it. */
public record LavaEndpoint(URI base) {
    public LavaEndpoint {
        String text = base.toString();
        base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * Accepts only plain http(s) addresses. Credentials in the address are refused: the address is
     * printed (job links), and the token has its own variable that is never printed.
     */
    public static LavaEndpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new LavaInputException("LAVA_URL is not set (the LAVA server's address, e.g. https://lava.example.org)");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new LavaInputException("LAVA_URL is not a valid address: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new LavaInputException("LAVA_URL must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new LavaInputException("LAVA_URL has no host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw new LavaInputException("LAVA_URL must not contain credentials; put the token in LAVA_TOKEN");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new LavaInputException("LAVA_URL must be a base address without '?' or '#'");
        }
        return new LavaEndpoint(uri);
    }

    /** An address of the REST API, PATH relative to {@code /api/v0.2/}. */
    public URI api(String path) {
        return URI.create(base + "/api/v0.2/" + path);
    }

    /** The job's page in LAVA's web interface, for people following a link from the job log. */
    public String jobPage(long jobId) {
        return base + "/scheduler/job/" + jobId;
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
