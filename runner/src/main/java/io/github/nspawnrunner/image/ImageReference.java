package io.github.nspawnrunner.image;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as docker normalizes it: {@code debian} is {@code docker.io/library/debian:latest},
 * {@code user/repo:tag} is {@code docker.io/user/repo:tag}, a first component with a '.' or a ':' (or
 * {@code localhost}, or an upper-case letter) is a registry. A digest, when given, names the image;
 * a tag beside it is kept for messages only (docker ignores it too).
 *
 * @param registry   host[:port], {@code docker.io} for Docker Hub
 * @param repository the path inside the registry, e.g. {@code library/debian}
 * @param tag        the tag, or null when only a digest is given
 * @param digest     {@code sha256:<64 hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final int MAX_NAME = 255;

    // the grammar of github.com/distribution/reference, restricted to sha256 digests
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern WHOLE = Pattern.compile("([^@]+?)(?::([^:/@]+))?(?:@(.+))?");

    public ImageReference {
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("an image reference has a tag or a digest");
        }
    }

    /** TEXT as docker would read it, or a one-line reason why it is no image reference. */
    public static ImageReference parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(problem(text)));
    }

    public static Optional<ImageReference> tryParse(String text) {
        return problemOf(text) == null ? Optional.of(build(text)) : Optional.empty();
    }

    /** Why TEXT is no image reference, for the one-line refusal. */
    public static String problem(String text) {
        String problem = problemOf(text);
        return problem == null ? null : "'" + printable(text) + "' is not an image reference: " + problem
                + " (expected e.g. debian:12, registry.example.com:5000/team/env:2026.11 or name@sha256:<64 hex digits>)";
    }

    private static String problemOf(String text) {
        if (text == null || text.isEmpty()) {
            return "it is empty";
        }
        Matcher whole = WHOLE.matcher(text);
        if (!whole.matches()) {
            return "it has more than one '@'";
        }
        String name = whole.group(1);
        String tag = whole.group(2);
        String digest = whole.group(3);
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            return "a digest is sha256: and 64 lower-case hex digits";
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            return "a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
        }
        if (name.length() > MAX_NAME) {
            return "the name is longer than " + MAX_NAME + " characters";
        }
        if (HEX_ID.matcher(name).matches()) {
            return "a 64-digit hex string is an image id, not a name";
        }
        String[] split = splitDomain(name);
        if (split[0] != null && !DOMAIN.matcher(split[0]).matches()) {
            return "'" + printable(split[0]) + "' is not a registry host[:port]";
        }
        for (String component : split[1].split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return component.isEmpty() ? "the name has an empty path component"
                        : "the repository '" + printable(split[1]) + "' must be lower-case letters, digits and separators (. _ __ -)";
            }
        }
        return null;
    }

    /** {domain or null, path}, as docker's splitDockerDomain decides. */
    private static String[] splitDomain(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return new String[] {null, name};
        }
        String first = name.substring(0, slash);
        boolean domain = first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(java.util.Locale.ROOT).equals(first);
        return domain ? new String[] {first, name.substring(slash + 1)} : new String[] {null, name};
    }

    private static ImageReference build(String text) {
        Matcher whole = WHOLE.matcher(text);
        whole.matches();
        String[] split = splitDomain(whole.group(1));
        String registry = split[0] == null || split[0].equals("index.docker.io") ? DOCKER_HUB : split[0];
        String repository = registry.equals(DOCKER_HUB) && !split[1].contains("/") ? "library/" + split[1] : split[1];
        String tag = whole.group(2);
        String digest = whole.group(3);
        return new ImageReference(registry, repository, tag == null && digest == null ? "latest" : tag, digest);
    }

    /** registry/repository, e.g. docker.io/library/debian. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The full normalized reference: name[:tag][@digest], what allow patterns match. */
    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** What skopeo is given: the digest when there is one (skopeo refuses a tag beside it), else the tag. */
    public String transportReference() {
        return name() + (digest != null ? "@" + digest : ":" + tag);
    }

    /** The same image pinned to DIGEST, e.g. once a tag is resolved. */
    public ImageReference withDigest(String pinned) {
        return new ImageReference(registry, repository, tag, pinned);
    }

    /** Job input in a message: control characters would break the one line. */
    static String printable(String text) {
        String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
