package io.github.nspawnrunner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCI images from a real registry, in the test host: Debian's docker-registry on the test host's
 * own 127.0.0.1, once without authentication (:5000) and once with htpasswd (:5001, the
 * "private" repository). Test images are built offline with umoci and pushed with skopeo.
 * `nspawn-runner image pull` takes an image exactly as a job's prepare will: the admin's policy
 * and pull_policy, the job's credentials from DOCKER_AUTH_CONFIG or CI_REGISTRY*.
 */
@ExtendWith(TestHostExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesIT {
    private static final String CONFIG = "/etc/nspawn-runner/images-it.toml";
    private static final String PUBLIC = "127.0.0.1:5000";
    private static final String PRIVATE = "127.0.0.1:5001";
    private static final String USER = "builder";
    /** Letters, digits and dashes: CommandLineScan looks for it in every command line. */
    private static final String PASSWORD = "registry-pw-" + ProcessHandle.current().pid();
    private static final String WORK = TestHost.STATE_DIR + "/images-it-work";
    private static final String IMAGES = TestHost.STATE_DIR + "/images";

    private final Host host;

    ImagesIT(Host host) {
        this.host = host;
    }

    @BeforeAll
    static void registries(Host host) {
        String base64 = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        ExecResult setup = host.shell("set -euo pipefail\n"
                + "systemctl stop docker-registry.service 2>/dev/null || true\n"
                + "mkdir -p /etc/containers/registries.conf.d /etc/nspawn-runner " + WORK + "\n"
                // plain http on loopback: the admin's way to say so, for skopeo and for nspawn-runner alike
                + "printf '[[registry]]\\nlocation = \"%s\"\\ninsecure = true\\n' " + PUBLIC + " > /etc/containers/registries.conf.d/it-public.conf\n"
                + "printf '[[registry]]\\nlocation = \"%s\"\\ninsecure = true\\n' " + PRIVATE + " > /etc/containers/registries.conf.d/it-private.conf\n"
                + "htpasswd -Bin " + USER + " > /etc/docker/registry/it-htpasswd <<< '" + PASSWORD + "'\n"
                + registryConfig("public", PUBLIC, "")
                + registryConfig("private", PRIVATE, "auth:\\n  htpasswd:\\n    realm: it\\n    path: /etc/docker/registry/it-htpasswd\\n")
                + "systemd-run --quiet --unit=nsr-it-registry-public docker-registry serve /etc/docker/registry/it-public.yml\n"
                + "systemd-run --quiet --unit=nsr-it-registry-private docker-registry serve /etc/docker/registry/it-private.yml\n"
                + "for i in $(seq 100); do\n"
                + "  [ \"$(curl -s -o /dev/null -w '%{http_code}' http://" + PUBLIC + "/v2/)\" = 200 ]"
                + " && [ \"$(curl -s -o /dev/null -w '%{http_code}' http://" + PRIVATE + "/v2/)\" = 401 ] && break; sleep 0.1; done\n"
                // the test images, offline: a small tree with an owner, a mode and a symbolic link
                + "cd " + WORK + "\n"
                + "umoci init --layout layout\n"
                + "umoci new --image layout:base\n"
                + "umoci unpack --image layout:base bundle > /dev/null\n"
                + "mkdir -p bundle/rootfs/etc bundle/rootfs/opt/tools/bin bundle/rootfs/work\n"
                + "printf 'hello from the image\\n' > bundle/rootfs/etc/marker\n"
                + "chown 1234:2345 bundle/rootfs/etc/marker; chmod 0640 bundle/rootfs/etc/marker\n"
                + "printf '#!/bin/sh\\necho tool\\n' > bundle/rootfs/opt/tools/bin/tool; chmod 0755 bundle/rootfs/opt/tools/bin/tool\n"
                + "ln -s ../opt/tools/bin/tool bundle/rootfs/etc/tool-link\n"
                + "umoci repack --image layout:base bundle\n"
                + "umoci config --image layout:base --config.env PATH=/opt/tools/bin:/usr/bin:/bin --config.env LANG=C.UTF-8"
                + " --config.workingdir /work\n"
                // a second image of other content, for the concurrent pulls
                // (with 40 MB that do not compress: its pull takes long enough for the second to meet it)
                + "printf 'concurrent\\n' > bundle/rootfs/etc/concurrent\n"
                + "head -c 40M /dev/urandom > bundle/rootfs/etc/noise\n"
                + "umoci repack --image layout:concurrent bundle\n"
                // and a third, so that no other test has the private image's digest cached
                + "rm bundle/rootfs/etc/noise; printf 'private\\n' > bundle/rootfs/etc/private\n"
                + "umoci repack --image layout:private bundle\n"
                // a decompression bomb: 160 MB of zeros in a layer of a few hundred KB
                + "head -c 160M /dev/zero > bundle/rootfs/etc/zeros\n"
                + "umoci repack --image layout:bomb bundle\n"
                + "skopeo copy -q oci:layout:bomb docker://" + PUBLIC + "/test/bomb:1\n"
                // the concurrent image's 40 MB again, under a name of its own: its blobs' GETs are counted apart
                + "skopeo copy -q oci:layout:concurrent docker://" + PUBLIC + "/test/large:1\n"
                + "skopeo copy -q oci:layout:base docker://" + PUBLIC + "/test/base:1\n"
                + "skopeo copy -q oci:layout:concurrent docker://" + PUBLIC + "/test/concurrent:1\n"
                + "auth=$(mktemp -d); printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}' " + PRIVATE + " " + base64
                + " > $auth/auth.json\n"
                + "skopeo copy -q --authfile $auth/auth.json oci:layout:private docker://" + PRIVATE + "/private/env:1\n"
                + "rm -rf $auth layout bundle\n"
                + "cat > " + CONFIG + " <<'EOF'\n"
                + "image_registries = [\"" + PUBLIC + "\", \"" + PRIVATE + "\"]\n"
                + "images_allowed = [\"" + PUBLIC + "/test/**\", \"" + PRIVATE + "/private/**\"]\n"
                + "EOF\n");
        assertEquals(0, setup.exitCode(), setup.toString());
    }

    private static String registryConfig(String name, String address, String auth) {
        return "printf 'version: 0.1\\nlog:\\n  accesslog:\\n    disabled: false\\nstorage:\\n  filesystem:\\n    rootdirectory: "
                + WORK + "/registry-" + name + "\\nhttp:\\n  addr: " + address + "\\n" + auth + "' > /etc/docker/registry/it-"
                + name + ".yml\n";
    }

    @AfterAll
    static void stopRegistries(Host host) {
        host.shell("systemctl stop nsr-it-registry-public nsr-it-registry-private; rm -rf " + WORK + " " + IMAGES + " " + CONFIG
                + " /etc/containers/registries.conf.d/it-*.conf /etc/docker/registry/it-* /root/.docker");
    }

    /** `nspawn-runner image pull REFERENCE` as root, with the test's config and the job variables in VARIABLES. */
    private ExecResult pull(String reference, Map<String, String> variables) {
        return host.exec(List.of(host.cli(), "image", "pull", reference), environment(variables), "/");
    }

    private RunnerProcess startPull(String reference, Map<String, String> variables) {
        return host.start(List.of(host.cli(), "image", "pull", reference), environment(variables), "/");
    }

    private Map<String, String> environment(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME", host.javaHome(), "NSPAWN_RUNNER_CONFIG", CONFIG));
        environment.putAll(variables);
        return environment;
    }

    /** The digest skopeo itself reports for REFERENCE, asked separately. */
    private String registryDigest(String reference) {
        ExecResult inspect = host.shell("skopeo inspect --format '{{.Digest}}' docker://" + reference);
        assertEquals(0, inspect.exitCode(), inspect.toString());
        return inspect.stdout().trim();
    }

    private static String oneLine(ExecResult result) {
        List<String> errors = result.stderrLines().stream().filter(line -> line.contains("error")).toList();
        assertEquals(1, errors.size(), result.toString());
        return errors.get(0);
    }

    @Test
    void aPublicImageByTagAndByDigestIsUnpackedWithItsOwnersModesAndConfig() {
        String digest = registryDigest(PUBLIC + "/test/base:1");
        ExecResult first = pull(PUBLIC + "/test/base:1", Map.of());
        assertEquals(0, first.exitCode(), first.toString());
        String rootfs = IMAGES + "/" + digest.replace(':', '-') + "/rootfs";
        assertEquals(digest + " " + rootfs, first.stdout().trim());
        assertTrue(first.stderr().contains("pulling image " + PUBLIC + "/test/base:1@" + digest), first.toString());

        ExecResult files = host.shell("cd " + rootfs + " && stat -c '%n %u:%g %a' etc/marker opt/tools/bin/tool && cat etc/marker"
                + " && readlink etc/tool-link && cat ../image.json");
        assertEquals(0, files.exitCode(), files.toString());
        assertTrue(files.stdout().contains("etc/marker 1234:2345 640\n"), files.stdout());
        assertTrue(files.stdout().contains("opt/tools/bin/tool 0:0 755\n"), files.stdout());
        assertTrue(files.stdout().contains("hello from the image\n../opt/tools/bin/tool\n"), files.stdout());
        assertTrue(files.stdout().contains("\"PATH=/opt/tools/bin:/usr/bin:/bin\", \"LANG=C.UTF-8\""), files.stdout());
        assertTrue(files.stdout().contains("\"workingDir\" : \"/work\""), files.stdout());

        ExecResult cached = pull(PUBLIC + "/test/base:1", Map.of());
        ExecResult byDigest = pull(PUBLIC + "/test/base@" + digest, Map.of());
        for (ExecResult again : List.of(cached, byDigest)) {
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(digest + " " + rootfs, again.stdout().trim());
            assertFalse(again.stderr().contains("pulling image"), "cached by digest: " + again);
        }
        System.out.printf("ImagesIT: first pull and unpack %d ms, a cached image by tag %d ms, by digest %d ms"
                + " (whole nspawn-runner image pull, JVM start included)%n", first.duration().toMillis(),
                cached.duration().toMillis(), byDigest.duration().toMillis());
        ExecResult leftovers = host.shell("ls -A " + IMAGES + " /run/nspawn-runner/images");
        assertFalse(leftovers.stdout().contains(".building") || leftovers.stdout().contains("private-"), leftovers.toString());
    }

    @Test
    void twoConcurrentPullsOfOneImagePullItOnce() {
        String reference = PUBLIC + "/test/concurrent:1";
        List<RunnerProcess> pulls = List.of(startPull(reference, Map.of()), startPull(reference, Map.of()));
        List<ExecResult> results = new ArrayList<>();
        for (RunnerProcess pull : pulls) {
            results.add(pull.await(Duration.ofMinutes(2)));
        }
        for (ExecResult result : results) {
            assertEquals(0, result.exitCode(), result.toString());
        }
        assertEquals(results.get(0).stdout(), results.get(1).stdout());
        long pullers = results.stream().filter(result -> result.stderr().contains("pulling image")).count();
        assertEquals(1, pullers, "one pull: " + results);
        assertEquals(1, results.stream().filter(result -> result.stderr().contains("waiting for another pull of image " + reference))
                .count(), "the second met the first one's pull and waited for it: " + results);
        // and the registry served the image's blobs once: its access log counts the GETs
        ExecResult manifest = host.shell("skopeo inspect --raw docker://" + reference);
        String layer = manifest.stdout().replaceAll("(?s).*\"layers\"\\s*:\\s*\\[\\s*\\{[^}]*\"digest\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertTrue(layer.startsWith("sha256:"), manifest.toString());
        ExecResult served = host.shell("journalctl -q -o cat -u nsr-it-registry-public | grep -c '\"GET /v2/test/concurrent/blobs/"
                + layer + " '");
        assertEquals("1", served.stdout().trim(), "the layer was fetched once: " + served);
    }

    @Test
    void aPrivateImageNeedsTheJobsOwnCredentialsEvenWhenCached() throws Exception {
        String reference = PRIVATE + "/private/env:1";
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Map<String, String> gitlabRegistry = Map.of("CI_REGISTRY", PRIVATE, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", PASSWORD);
        Map<String, String> dockerAuthConfig = Map.of("DOCKER_AUTH_CONFIG", "{\"auths\": {\"" + PRIVATE + "\": {\"auth\": \"" + auth + "\"}}}");
        Map<String, String> wrong = Map.of("CI_REGISTRY", PRIVATE, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", "wrong-pw");

        CommandLineScan scan = CommandLineScan.start(host, PASSWORD);
        ExecResult anonymous = pull(reference, Map.of());
        assertEquals(1, anonymous.exitCode(), anonymous.toString());
        assertTrue(oneLine(anonymous).contains("cannot resolve image " + reference + " anonymously (the job gives no credentials for "
                + PRIVATE + ")") && oneLine(anonymous).contains("unauthorized"), anonymous.toString());

        ExecResult withGitlabRegistry = pull(reference, gitlabRegistry);
        assertEquals(0, withGitlabRegistry.exitCode(), withGitlabRegistry.toString());
        assertTrue(withGitlabRegistry.stderr().contains("pulling image"), withGitlabRegistry.toString());
        ExecResult withDockerAuthConfig = pull(reference, dockerAuthConfig);
        assertEquals(0, withDockerAuthConfig.exitCode(), withDockerAuthConfig.toString());
        assertEquals(withGitlabRegistry.stdout(), withDockerAuthConfig.stdout());
        String digest = withGitlabRegistry.stdout().split(" ")[0];

        // cached now, and root's own docker credentials on the host: still nothing for a job without its own
        ExecResult rootsOwn = host.shell("mkdir -p /root/.docker && printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}' " + PRIVATE
                + " " + auth + " > /root/.docker/config.json && skopeo inspect --raw docker://" + reference + " > /dev/null");
        assertEquals(0, rootsOwn.exitCode(), "root's own credentials work for root's skopeo: " + rootsOwn);
        for (String policy : List.of("always", "if-not-present", "never")) {
            for (Map<String, String> without : List.of(Map.<String, String>of(), wrong)) {
                Map<String, String> variables = new HashMap<>(without);
                variables.put("NSPAWN_RUNNER_PULL_POLICY", policy);
                for (String asked : List.of(reference, PRIVATE + "/private/env@" + digest)) {
                    ExecResult refused = pull(asked, variables);
                    assertEquals(1, refused.exitCode(), policy + ": " + refused);
                    assertTrue(oneLine(refused).contains("unauthorized"), policy + ": " + refused);
                }
            }
            Map<String, String> variables = new HashMap<>(gitlabRegistry);
            variables.put("NSPAWN_RUNNER_PULL_POLICY", policy);
            ExecResult allowed = pull(reference, variables);
            assertEquals(0, allowed.exitCode(), policy + ": " + allowed);
            assertFalse(allowed.stderr().contains("pulling image"), "cached: " + allowed);
        }
        host.shell("rm -rf /root/.docker");
        scan.stopAndAssertNeverSeen(20);

        ExecResult files = host.shell("grep -rlsF --binary-files=text -e '" + PASSWORD + "' -e '" + auth + "' " + TestHost.STATE_DIR
                + " /tmp /var/tmp /run /srv /root; journalctl -q -o cat | grep -cF -e '" + PASSWORD + "' -e '" + auth + "'");
        assertEquals("0", files.stdout().trim(), "no file and no journal entry holds the credentials: " + files);
    }

    /** The bookworm job chroot without its JVM (~330 MB unpacked) as an image: what a first pull and unpack costs. */
    @Test
    void aDebianSizedImageIsPulledAndUnpackedWhole() {
        ExecResult build = host.shell("set -euo pipefail; cd " + WORK + "; umoci init --layout big; umoci new --image big:1;"
                + " tar -C " + TestHost.CHROOTS_DIR + "/" + TestHostExtension.DEFAULT_CHROOT + " --exclude=./usr/lib/jvm -cf big.tar .;"
                + " umoci raw add-layer --image big:1 big.tar; skopeo copy -q oci:big:1 docker://" + PUBLIC + "/test/bookworm:1;"
                + " du -sm big/blobs | cut -f1; rm -rf big big.tar");
        assertEquals(0, build.exitCode(), build.toString());
        ExecResult first = pull(PUBLIC + "/test/bookworm:1", Map.of());
        assertEquals(0, first.exitCode(), first.toString());
        String rootfs = first.stdout().trim().split(" ")[1];
        ExecResult check = host.shell("stat -c '%u:%g %a' " + rootfs + "/usr/bin/bash;"
                + " test ! -e " + rootfs + "/usr/lib/jvm && du -sm " + rootfs + " | cut -f1");
        assertTrue(check.stdout().startsWith("0:0 755\n"), check.toString());
        ExecResult cached = pull(PUBLIC + "/test/bookworm:1", Map.of());
        assertEquals(0, cached.exitCode(), cached.toString());
        System.out.printf("ImagesIT: first pull and unpack of a %s MB image (%s MB compressed) %d ms; cached %d ms%n",
                check.stdout().lines().reduce((a, b) -> b).orElse("?"), build.stdout().trim(), first.duration().toMillis(),
                cached.duration().toMillis());
    }

    /** What `find` and sha256sum say of every file below DIR: path, owner, mode, links, link target, content. */
    private String listing(String dir) {
        ExecResult listing = host.shell("cd " + dir + " && find . -printf '%p %U:%G %m %n %l\\n' | sort"
                + " && find . -type f -exec sha256sum {} + | sort -k2");
        assertEquals(0, listing.exitCode(), listing.toString());
        return listing.stdout();
    }

    /** A chroot travels: `chroot push` from one chroots dir to the private registry, `chroot pull` into another. */
    @Test
    void aChrootPushedFromOneHostIsPulledAsANewVersionOnAnotherWithTheSameFiles() {
        String from = TestHost.MANAGED_CHROOTS_DIR + "/images-it-from";
        String to = TestHost.MANAGED_CHROOTS_DIR + "/images-it-to";
        ExecResult tree = host.shell("set -e; rm -rf " + from + " " + to + "; mkdir -p " + from + "/small/usr/bin " + from + "/small/etc "
                + from + "/small/tmp; cd " + from + "/small; cp /usr/bin/bash usr/bin/; ln -s usr/bin bin; echo data > etc/file;"
                + " chown 1234:2345 etc/file; chmod 0640 etc/file; ln etc/file etc/hardlink; cp /usr/bin/ls usr/bin/suid;"
                + " chmod 4755 usr/bin/suid; chmod 1777 tmp");
        assertEquals(0, tree.exitCode(), tree.toString());
        Map<String, String> credentials = Map.of("CI_REGISTRY", PRIVATE, "CI_REGISTRY_USER", USER, "CI_REGISTRY_PASSWORD", PASSWORD);
        String reference = PRIVATE + "/private/fleet/small:1";

        Map<String, String> pushing = new HashMap<>(credentials);
        pushing.put("NSPAWN_RUNNER_CHROOTS_DIR", from);
        ExecResult push = host.exec(List.of(host.cli(), "chroot", "push", "small", reference), environment(pushing), "/");
        assertEquals(0, push.exitCode(), push.toString());
        assertTrue(push.stdout().trim().matches(java.util.regex.Pattern.quote(PRIVATE + "/private/fleet/small@sha256:") + "[0-9a-f]{64}"),
                push.toString());

        Map<String, String> pulling = new HashMap<>(credentials);
        pulling.put("NSPAWN_RUNNER_CHROOTS_DIR", to);
        ExecResult anonymous = host.exec(List.of(host.cli(), "chroot", "pull", reference, "small"),
                environment(Map.of("NSPAWN_RUNNER_CHROOTS_DIR", to)), "/");
        assertEquals(1, anonymous.exitCode(), anonymous.toString());
        assertTrue(oneLine(anonymous).contains("unauthorized"), anonymous.toString());
        ExecResult first = host.exec(List.of(host.cli(), "chroot", "pull", reference, "small"), environment(pulling), "/");
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(listing(from + "/small"), listing(to + "/small"));
        ExecResult firstVersion = host.shell("readlink " + to + "/small");

        ExecResult second = host.exec(List.of(host.cli(), "chroot", "pull", reference, "small"), environment(pulling), "/");
        assertEquals(0, second.exitCode(), second.toString());
        ExecResult versions = host.shell("readlink " + to + "/small; ls " + to + "/.versions/small");
        assertFalse(versions.stdout().startsWith(firstVersion.stdout()), "switched to a new version: " + versions);
        assertEquals(1, versions.stdout().lines().filter(line -> line.startsWith("v")).count(),
                "the old version, which no job uses, is gone: " + versions);
        assertEquals(listing(from + "/small"), listing(to + "/small"));
        host.shell("rm -rf " + from + " " + to);
    }

    /** Last: it evicts what the other tests pulled. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theLeastRecentlyUsedImagesNoJobUsesAreEvictedBeyondTheBudget() throws Exception {
        String base = pull(PUBLIC + "/test/base:1", Map.of()).stdout().trim();
        String concurrent = pull(PUBLIC + "/test/concurrent:1", Map.of()).stdout().trim();
        assertTrue(base.startsWith("sha256:") && concurrent.startsWith("sha256:"), base + " / " + concurrent);
        // a job runs on base: its job directory records the rootfs, as prepare records a chroot version
        String job = TestHost.STATE_DIR + "/jobs/nsr-images-it";
        host.shell("mkdir -p " + job + " && echo " + base.split(" ")[1] + " > " + job + "/chroot");
        Map<String, String> tight = new HashMap<>(Map.of("CI_REGISTRY", PRIVATE, "CI_REGISTRY_USER", USER,
                "CI_REGISTRY_PASSWORD", PASSWORD, "NSPAWN_RUNNER_IMAGE_CACHE_MAX", "1M"));
        ExecResult privateImage = pull(PRIVATE + "/private/env:1", tight);
        assertEquals(0, privateImage.exitCode(), privateImage.toString());
        assertTrue(privateImage.stderr().contains("evicted image " + PUBLIC + "/test/concurrent:1@"), privateImage.toString());
        ExecResult list = host.exec(List.of(host.cli(), "image", "list", "--no-legend"), environment(Map.of()), "/");
        List<String> left = list.stdout().lines().map(line -> line.split("\\s+")[0] + " " + line.split("\\s+")[4]).sorted().toList();
        assertEquals(List.of(base.split(" ")[0] + " 1", privateImage.stdout().split(" ")[0] + " 0").stream().sorted().toList(), left,
                "the image a job uses and the one just pulled stay: " + list);

        // the job ended: its image may go too, when the next pull (40 MB, over the budget alone) needs room
        host.shell("rm -rf " + job);
        ExecResult again = pull(PUBLIC + "/test/concurrent:1", tight);
        assertEquals(0, again.exitCode(), again.toString());
        ExecResult after = host.exec(List.of(host.cli(), "image", "list", "--no-legend"), environment(Map.of()), "/");
        assertEquals(List.of(concurrent.split(" ")[0]), after.stdout().lines().map(line -> line.split("\\s+")[0]).toList(),
                after.toString());
        ExecResult json = host.exec(List.of(host.cli(), "image", "list", "--json"), environment(Map.of()), "/");
        JsonNode listed = new ObjectMapper().readTree(json.stdout());
        assertEquals(1, listed.size(), json.toString());
        assertEquals(concurrent.split(" ")[0], listed.get(0).path("digest").asText(), json.toString());
        assertTrue(listed.get(0).path("size_bytes").asLong() > 40L << 20 && listed.get(0).path("jobs").asInt() == 0
                && listed.get(0).path("reference").asText().startsWith(PUBLIC + "/test/concurrent:1"), json.toString());
    }

    @Test
    void anImageThatDeclaresMoreThanImageMaxSizeIsRefusedBeforeAnyLayerIsFetched() {
        ExecResult refused = pull(PUBLIC + "/test/large:1", Map.of("NSPAWN_RUNNER_IMAGE_MAX_SIZE", "20M"));
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(oneLine(refused).matches("nspawn-runner: error: image " + PUBLIC.replace(".", "\\.") + "/test/large:1@sha256:[0-9a-f]{64}"
                + " is 40 MB to download, more than this runner's image_max_size, 20 MB: use a smaller image or ask the"
                + " runner's admin"), refused.toString());
        ExecResult served = host.shell("journalctl -q -o cat -u nsr-it-registry-public | grep -c '\"GET /v2/test/large/blobs/' || true");
        assertEquals("0", served.stdout().trim(), "no layer was fetched: " + served);
        assertNothingBuilding();
    }

    @Test
    void aLayerThatUnpacksBeyondImageMaxSizeIsStoppedAndLeavesNothing() {
        String reference = PUBLIC + "/test/bomb:1";
        ExecResult stopped = pull(reference, Map.of("NSPAWN_RUNNER_IMAGE_MAX_SIZE", "64M"));
        assertEquals(1, stopped.exitCode(), stopped.toString());
        String line = oneLine(stopped);
        assertTrue(line.startsWith("nspawn-runner: error: cannot unpack image " + reference + "@sha256:")
                && line.endsWith(": stopped, it takes more than 64 MB, this runner's image_max_size: use a smaller image or ask"
                + " the runner's admin"), stopped.toString());
        assertNothingBuilding();
        ExecResult list = host.exec(List.of(host.cli(), "image", "list", "--no-legend"), environment(Map.of()), "/");
        assertFalse(list.stdout().contains("/test/bomb:1"), list.toString());

        // the same image within the budget: it was the budget that stopped it, not a broken image
        ExecResult whole = pull(reference, Map.of("NSPAWN_RUNNER_IMAGE_MAX_SIZE", "1G"));
        assertEquals(0, whole.exitCode(), whole.toString());
        ExecResult size = host.shell("stat -c %s " + whole.stdout().trim().split(" ")[1] + "/etc/zeros");
        assertEquals(String.valueOf(160L << 20), size.stdout().trim(), size.toString());
    }

    private void assertNothingBuilding() {
        ExecResult left = host.shell("ls -A " + IMAGES + "; ls -A /var/tmp");
        assertFalse(left.stdout().contains(".building") || left.stdout().contains("oci-put-blob")
                || left.stdout().contains("docker-tarfile-blob"), left.toString());
    }

    @Test
    void imagesOutsideThePolicyAreRefusedInOneLine() {
        ExecResult registry = pull("ghcr.io/team/env:1", Map.of());
        assertEquals(1, registry.exitCode(), registry.toString());
        assertEquals("nspawn-runner: error: image ghcr.io/team/env:1 refused: registry ghcr.io is not one of this runner's"
                + " image_registries (" + PUBLIC + ", " + PRIVATE + ")", oneLine(registry));

        ExecResult pattern = pull(PUBLIC + "/other/env:1", Map.of());
        assertEquals(1, pattern.exitCode(), pattern.toString());
        assertTrue(oneLine(pattern).endsWith("refused: it matches none of this runner's images_allowed (" + PUBLIC + "/test/**, "
                + PRIVATE + "/private/**)"), pattern.toString());

        ExecResult none = pull(PUBLIC + "/test/base:1", Map.of("NSPAWN_RUNNER_IMAGE_REGISTRIES", ""));
        assertEquals(1, none.exitCode(), none.toString());
        assertTrue(oneLine(none).endsWith("this runner takes no images from registries (its admin has set no image_registries)"),
                none.toString());

        ExecResult reference = pull("../../etc", Map.of());
        assertEquals(1, reference.exitCode(), reference.toString());
        assertTrue(oneLine(reference).contains("'../../etc' is not an image reference"), reference.toString());
    }
}
