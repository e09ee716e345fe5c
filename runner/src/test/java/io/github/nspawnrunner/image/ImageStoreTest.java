package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.ImagePattern;
import io.github.nspawnrunner.config.ImageSettings;
import io.github.nspawnrunner.config.PullPolicy;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.failure.FailureKind;
import io.github.nspawnrunner.host.Flock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's rules, on real files and real flocks, against a registry at the ImageRegistry seam
 * (ImageStoreIT pulls from a real registry with skopeo and umoci).
 */
class ImageStoreTest {
    @TempDir
    Path dir;

    private final Flock flock = Flock.load();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    /** A registry of repository -> digest; "private/..." repositories answer only user "u" with password "p". */
    private static final class Registry implements ImageRegistry {
        final Map<String, String> digests = new ConcurrentHashMap<>();
        final AtomicInteger resolves = new AtomicInteger();
        final AtomicInteger fetches = new AtomicInteger();
        final List<Long> budgets = new CopyOnWriteArrayList<>();
        volatile long fetchMillis;
        volatile int fileSize = 100;

        @Override
        public String resolve(ImageReference reference, Optional<RegistryCredentials> credentials, Consumer<String> progress) {
            resolves.incrementAndGet();
            if (reference.repository().startsWith("private/") && !credentials.map(c -> c.username().equals("u")
                    && c.password().equals("p")).orElse(false)) {
                throw ExecutorException.build("cannot resolve image " + reference + ": unauthorized");
            }
            String digest = reference.digest() != null ? reference.digest() : digests.get(reference.repository());
            if (digest == null) {
                throw ExecutorException.build("manifest unknown");
            }
            return digest;
        }

        @Override
        public ImageConfig fetch(ImageReference pinned, Optional<RegistryCredentials> credentials, Path work, Path rootfs,
                long maxBytes, Consumer<String> progress) {
            budgets.add(maxBytes);
            fetches.incrementAndGet();
            try {
                Thread.sleep(fetchMillis);
                Files.createDirectories(rootfs.resolve("etc"));
                Files.write(rootfs.resolve("etc/marker"), new byte[fileSize]);
                Files.writeString(rootfs.resolve("etc/name"), pinned.repository(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new ImageConfig(List.of("PATH=/opt/bin:/usr/bin"), "/work", "");
        }

        @Override
        public String publish(Path rootfs, ImageReference reference, Optional<RegistryCredentials> credentials, ImageConfig config,
                Path work, Consumer<String> progress) {
            throw new UnsupportedOperationException("the store never publishes");
        }
    }

    private static String digest(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private ImageStore store(Registry registry, PullPolicy policy, long cacheMax) {
        ImageSettings settings = new ImageSettings(List.of("registry.test"), List.of(ImagePattern.parse("**")), cacheMax, cacheMax,
                policy);
        return new ImageStore(dir.resolve("state/images"), settings, registry, dir.resolve("state/jobs"), flock, progress::add,
                Clock.systemUTC());
    }

    private static JobCredentials credentials(String user, String password) {
        return JobCredentials.from(Map.of("CI_REGISTRY", "registry.test", "CI_REGISTRY_USER", user, "CI_REGISTRY_PASSWORD", password));
    }

    @Test
    void anImageIsUnpackedOnceAndUsedLikeAChrootVersion() throws IOException {
        Registry registry = new Registry();
        registry.digests.put("team/env", digest('a'));
        Path job = Files.createDirectories(dir.resolve("state/jobs/nsr-1"));
        Image image = store(registry, PullPolicy.ALWAYS, 1L << 30).acquire("registry.test/team/env:1", JobCredentials.none(),
                Optional.of(job));
        assertEquals(dir.resolve("state/images/sha256-" + "a".repeat(64) + "/rootfs").toRealPath(), image.rootfs());
        assertEquals("team/env", Files.readString(image.rootfs().resolve("etc/name")));
        assertEquals(new ImageConfig(List.of("PATH=/opt/bin:/usr/bin"), "/work", ""), image.config());
        assertEquals("registry.test/team/env:1@" + digest('a'), image.reference().toString());
        assertEquals(image.rootfs() + "\n", Files.readString(job.resolve("chroot")), "recorded as the job's lower dir");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("state/images"))));
        assertEquals(List.of("images", "jobs"), List.of(dir.resolve("state").toFile().list()).stream().sorted().toList());
        assertFalse(Files.list(dir.resolve("state/images")).anyMatch(p -> p.getFileName().toString().startsWith(".building")));

        store(registry, PullPolicy.ALWAYS, 1L << 30).acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty());
        assertEquals(1, registry.fetches.get(), "cached by digest");
        assertEquals(2, registry.resolves.get(), "pull_policy always resolves at every job");
    }

    @Test
    void aPullMayTakeImageMaxSize() {
        Registry registry = new Registry();
        registry.digests.put("team/env", digest('e'));
        ImageSettings settings = new ImageSettings(List.of("registry.test"), List.of(ImagePattern.parse("**")), 1L << 30, 64L << 20,
                PullPolicy.ALWAYS);
        new ImageStore(dir.resolve("state/images"), settings, registry, dir.resolve("state/jobs"), flock, progress::add,
                Clock.systemUTC()).acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty());
        assertEquals(List.of(64L << 20), registry.budgets);
    }

    @Test
    void twoConcurrentAcquiresOfOneImageCauseOnePull() throws Exception {
        Registry registry = new Registry();
        registry.digests.put("team/env", digest('b'));
        registry.fetchMillis = 500;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<Image>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(threads.submit(() -> store(registry, PullPolicy.ALWAYS, 1L << 30)
                        .acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty())));
            }
            for (Future<Image> result : results) {
                assertEquals(digest('b'), result.get().digest());
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(1, registry.fetches.get(), "one pull: " + progress);
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("waiting for another pull of image")), progress.toString());
    }

    @Test
    void aCachedPrivateImageIsRefusedToAJobWithoutCredentialsWhateverThePolicy() {
        for (PullPolicy policy : PullPolicy.values()) {
            Registry registry = new Registry();
            registry.digests.put("private/env", digest('c'));
            store(registry, PullPolicy.ALWAYS, 1L << 30).acquire("registry.test/private/env:1", credentials("u", "p"),
                    Optional.empty());
            ImageStore store = store(registry, policy, 1L << 30);
            for (JobCredentials without : List.of(JobCredentials.none(), credentials("u", "wrong"))) {
                ExecutorException e = assertThrows(ExecutorException.class,
                        () -> store.acquire("registry.test/private/env:1", without, Optional.empty()), policy.key());
                assertEquals(FailureKind.BUILD, e.kind());
                assertTrue(e.getMessage().contains("unauthorized"), e.getMessage());
                ExecutorException byDigest = assertThrows(ExecutorException.class,
                        () -> store.acquire("registry.test/private/env@" + digest('c'), without, Optional.empty()));
                assertTrue(byDigest.getMessage().contains("unauthorized"), "knowing the digest is no proof: " + byDigest.getMessage());
            }
            int resolves = registry.resolves.get();
            assertEquals(digest('c'), store.acquire("registry.test/private/env:1", credentials("u", "p"), Optional.empty()).digest());
            assertEquals(resolves + 1, registry.resolves.get(), policy.key() + ": a private image is resolved at every job");
            assertEquals(1, registry.fetches.get());
            // rmdir the directory for the next policy
            dir.resolve("state").toFile().renameTo(dir.resolve("old-" + policy.key()).toFile());
        }
    }

    @Test
    void ifNotPresentUsesAPublicCachedImageWithoutAskingTheRegistry() {
        Registry registry = new Registry();
        registry.digests.put("team/env", digest('d'));
        store(registry, PullPolicy.IF_NOT_PRESENT, 1L << 30).acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty());
        assertEquals(1, registry.resolves.get());
        registry.digests.put("team/env", digest('e')); // the tag moved: if-not-present keeps what it has
        assertEquals(digest('d'), store(registry, PullPolicy.IF_NOT_PRESENT, 1L << 30)
                .acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty()).digest());
        assertEquals(digest('d'), store(registry, PullPolicy.NEVER, 1L << 30)
                .acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty()).digest());
        assertEquals(1, registry.resolves.get(), "no request for a public image that is cached");
        assertEquals(digest('e'), store(registry, PullPolicy.ALWAYS, 1L << 30)
                .acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty()).digest(), "always sees the move");
        assertEquals(2, registry.fetches.get());
    }

    @Test
    void neverRefusesWhatIsNotCachedInOneLine() {
        Registry registry = new Registry();
        registry.digests.put("team/env", digest('f'));
        ExecutorException e = assertThrows(ExecutorException.class, () -> store(registry, PullPolicy.NEVER, 1L << 30)
                .acquire("registry.test/team/env:1", JobCredentials.none(), Optional.empty()));
        assertEquals("image registry.test/team/env:1 is not on this runner, and its pull_policy is never", e.getMessage());
        assertEquals(FailureKind.BUILD, e.kind());
        assertEquals(0, registry.resolves.get() + registry.fetches.get());
    }

    @Test
    void evictsTheLeastRecentlyUsedImagesNoJobUses() throws IOException {
        Registry registry = new Registry();
        registry.fileSize = 700 << 10;
        for (char c : "1234".toCharArray()) {
            registry.digests.put("team/" + c, digest(c));
        }
        long budget = 1L << 20; // room for one image of 700K
        Path job = Files.createDirectories(dir.resolve("state/jobs/nsr-7"));
        Clock[] clock = {Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)};
        ImageSettings settings = new ImageSettings(List.of("registry.test"), List.of(ImagePattern.parse("**")), budget,
                budget, PullPolicy.ALWAYS);
        int minute = 0;
        for (String name : List.of("1", "2", "3", "4")) {
            Clock at = Clock.offset(clock[0], java.time.Duration.ofMinutes(minute++));
            new ImageStore(dir.resolve("state/images"), settings, registry, dir.resolve("state/jobs"), flock, progress::add, at)
                    .acquire("registry.test/team/" + name + ":1", JobCredentials.none(), name.equals("1") ? Optional.of(job) : Optional.empty());
        }
        ImageStore store = store(registry, PullPolicy.ALWAYS, budget);
        Map<String, Integer> left = new java.util.TreeMap<>();
        store.list().forEach(image -> left.put(image.digest(), image.jobs()));
        assertEquals(Map.of(digest('1'), 1, digest('4'), 0), left,
                "1 is in use by a job, 4 was just pulled; 2 and 3 went, least recently used first: " + progress);
        Files.delete(job.resolve("chroot"));
        assertEquals(List.of(digest('1')), store.evict(Set.of()), "1 goes once its job has ended");
    }
}
