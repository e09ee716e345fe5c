package io.github.nspawnrunner.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nspawnrunner.chroot.ChrootUsage;
import io.github.nspawnrunner.config.ImageSettings;
import io.github.nspawnrunner.config.PullPolicy;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.host.Flock;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Unpacked OCI images, by manifest digest, for jobs to use as the lower dir of their overlay
 * exactly like a chroot version ({@link ImageLayout} has the files).
 * <ul>
 * <li><b>One pull per digest.</b> A pull holds the digest's flock; a second job wanting the same
 * digest waits for it and then finds the image in place. The pull works in a building directory
 * and renames the finished image into place, so nobody ever sees a half-unpacked one.</li>
 * <li><b>In use.</b> A job records the rootfs it runs on in its job directory (the same record as
 * a chroot version, {@link ChrootUsage}), under the store's shared lock; eviction holds it
 * exclusive, so an image is never evicted between a job choosing it and recording it.</li>
 * <li><b>Eviction</b>, after each acquire: while the images take more than image_cache_max, the
 * least recently used one that no job records goes. It only tries the lock: a prepare never waits
 * for an eviction, and the next acquire evicts what this one could not.</li>
 * <li><b>A private image is never handed to a job that could not pull it itself.</b> What a
 * reference resolved to is remembered with whether it was resolved anonymously (the job gave no
 * credentials for that registry and the registry answered). Only such a public record is used
 * without asking the registry (pull_policy if-not-present and never); any other reference is
 * resolved with the job's own credentials, one manifest request, on every job, whatever the
 * pull_policy, and the job gets the image only when that succeeds. A digest names the same bytes
 * in any repository, so an image cached from one repository is handed to a job that proved
 * access to that digest in another.</li>
 * </ul>
 */
public final class ImageStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageLayout layout;
    private final ImagePolicy policy;
    private final ImageRegistry registry;
    private final Path jobsDir;
    private final Flock flock;
    private final Consumer<String> progress;
    private final Clock clock;

    public ImageStore(Path directory, ImageSettings settings, ImageRegistry registry, Path jobsDir, Flock flock,
            Consumer<String> progress, Clock clock) {
        this.layout = new ImageLayout(canonical(directory));
        this.policy = new ImagePolicy(settings);
        this.registry = registry;
        this.jobsDir = jobsDir;
        this.flock = flock;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * The image TEXT (a job's image:) names, pulled if need be, for the job in JOBDIR (recorded
     * there as in use) or for nobody (an admin's pull). Refusals are one line: the job's fault for
     * a reference the policy refuses, a registry that refuses the job's credentials, or an image
     * pull_policy never cannot give.
     */
    public Image acquire(String text, JobCredentials credentials, Optional<Path> jobDir) {
        ImageReference reference = policy.check(text);
        Optional<RegistryCredentials> given = credentials.forRegistry(reference.registry());
        try {
            createStore();
            String digest = digest(reference, given);
            ImageReference pinned = reference.withDigest(digest);
            Image image = takeCached(pinned, jobDir);
            if (image == null) {
                if (policy.settings().pullPolicy() == PullPolicy.NEVER) {
                    throw ExecutorException.build("image " + reference + " (" + digest + ") is not on this runner,"
                            + " and its pull_policy is never");
                }
                image = pull(pinned, given, jobDir);
            }
            evict(Set.of(digest));
            return image;
        } catch (IOException e) {
            throw ExecutorException.system("image store " + layout.directory() + ": " + e.getMessage(), e);
        }
    }

    /** The digest for REFERENCE: remembered when public and cached (pull_policy permitting), else asked of the registry. */
    private String digest(ImageReference reference, Optional<RegistryCredentials> given) throws IOException {
        String key = reference.transportReference();
        PullPolicy pullPolicy = policy.settings().pullPolicy();
        if (pullPolicy != PullPolicy.ALWAYS) {
            Optional<RefRecord> known = readRef(key);
            if (known.isPresent() && known.get().anonymous() && Files.isDirectory(layout.image(known.get().digest()))) {
                progress.accept("image " + reference + " is " + known.get().digest() + " (public, cached; pull_policy "
                        + pullPolicy.key() + ")");
                return known.get().digest();
            }
            String candidate = reference.digest() != null ? reference.digest() : known.map(RefRecord::digest).orElse(null);
            if (pullPolicy == PullPolicy.NEVER && (candidate == null || !Files.isDirectory(layout.image(candidate)))) {
                throw ExecutorException.build("image " + reference + " is not on this runner, and its pull_policy is never");
            }
        }
        String digest = registry.resolve(reference, given, progress);
        writeRef(new RefRecord(key, digest, given.isEmpty()));
        return digest;
    }

    /** The image if it is in place, recorded for the job and marked used; null otherwise. */
    private Image takeCached(ImageReference pinned, Optional<Path> jobDir) throws IOException {
        try (Flock.Held ignored = flock.lock(layout.lockFile(), true)) {
            Path dir = layout.image(pinned.digest());
            if (!Files.isDirectory(dir)) {
                return null;
            }
            return use(pinned, dir, jobDir);
        }
    }

    private Image use(ImageReference pinned, Path dir, Optional<Path> jobDir) throws IOException {
        Path rootfs = dir.resolve(ImageLayout.ROOTFS);
        if (jobDir.isPresent()) {
            ChrootUsage.record(jobDir.get(), rootfs);
        }
        Files.setLastModifiedTime(dir.resolve(ImageLayout.LAST_USED), FileTime.from(clock.instant()));
        return new Image(pinned, pinned.digest(), rootfs, readMetadata(dir).config());
    }

    private Image pull(ImageReference pinned, Optional<RegistryCredentials> given, Optional<Path> jobDir) throws IOException {
        String digest = pinned.digest();
        Flock.Held pullLock = flock.tryExclusive(layout.pullLock(digest));
        if (pullLock == null) {
            progress.accept("waiting for another pull of image " + pinned);
            pullLock = flock.lock(layout.pullLock(digest), false);
        }
        try (Flock.Held ignored = pullLock) {
            Image pulledMeanwhile = takeCached(pinned, jobDir);
            if (pulledMeanwhile != null) {
                progress.accept("image " + pinned + " was pulled meanwhile");
                return pulledMeanwhile;
            }
            Path building = layout.building(digest);
            FileTrees.remove(building); // what a killed pull of this digest left: we hold its lock
            Path image = Files.createDirectories(building.resolve("image"));
            try {
                long start = System.nanoTime();
                progress.accept("pulling image " + pinned);
                ImageConfig config = registry.fetch(pinned, given, building, image.resolve(ImageLayout.ROOTFS),
                        policy.settings().maxSize(), progress);
                FileTrees.remove(building.resolve("oci"));
                long size = FileTrees.diskUsage(image.resolve(ImageLayout.ROOTFS));
                writeMetadata(image, new Metadata(pinned.toString(), digest, config, size));
                Files.createFile(image.resolve(ImageLayout.LAST_USED));
                progress.accept(String.format("pulled and unpacked image %s in %.1f s (%d MB)", pinned,
                        (System.nanoTime() - start) / 1e9, size >> 20));
                try (Flock.Held shared = flock.lock(layout.lockFile(), true)) {
                    Path target = layout.image(digest);
                    Files.move(image, target, StandardCopyOption.ATOMIC_MOVE);
                    return use(pinned, target, jobDir);
                }
            } finally {
                FileTrees.remove(building);
            }
        }
    }

    /**
     * Evicts the least recently used images that no job uses (nor KEEP names) while all take more
     * than image_cache_max; returns their digests. Skips the round when another holds the lock.
     */
    public List<String> evict(Set<String> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        Flock.Held exclusive = flock.tryExclusive(layout.lockFile());
        if (exclusive == null) {
            return removed;
        }
        try (Flock.Held ignored = exclusive) {
            Map<Path, Integer> inUse = new ChrootUsage(jobsDir).jobsPerDirectory();
            List<CachedImage> images = new ArrayList<>(list(inUse));
            long total = images.stream().mapToLong(CachedImage::size).sum();
            images.sort(Comparator.comparing(CachedImage::lastUsed));
            for (CachedImage image : images) {
                if (total <= policy.settings().cacheMax()) {
                    break;
                }
                if (image.jobs() == 0 && !keep.contains(image.digest())) {
                    Files.createDirectories(layout.trash());
                    Files.move(layout.image(image.digest()), layout.trash().resolve(image.digest().replace(':', '-')
                            + "-" + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
                    total -= image.size();
                    removed.add(image.digest());
                    progress.accept("evicted image " + image.reference() + " (" + (image.size() >> 20) + " MB, image_cache_max "
                            + (policy.settings().cacheMax() >> 20) + " MB)");
                }
            }
        }
        for (Path retired : FileTrees.entries(layout.trash())) {
            FileTrees.remove(retired);
        }
        return removed;
    }

    /** The images in place, with how many jobs use each. */
    public List<CachedImage> list() {
        return list(new ChrootUsage(jobsDir).jobsPerDirectory());
    }

    private List<CachedImage> list(Map<Path, Integer> inUse) {
        List<CachedImage> images = new ArrayList<>();
        for (Path dir : FileTrees.entries(layout.directory())) {
            if (!ImageLayout.isImage(dir)) {
                continue;
            }
            try {
                Metadata metadata = readMetadata(dir);
                FileTime lastUsed = Files.getLastModifiedTime(dir.resolve(ImageLayout.LAST_USED));
                images.add(new CachedImage(metadata.digest(), metadata.reference(), metadata.size(), lastUsed.toInstant(),
                        inUse.getOrDefault(dir.resolve(ImageLayout.ROOTFS), 0)));
            } catch (IOException e) {
                progress.accept("ignoring " + dir + ": " + e.getMessage());
            }
        }
        return images;
    }

    public Path directory() {
        return layout.directory();
    }

    private void createStore() throws IOException {
        try {
            Files.createDirectories(layout.directory().getParent());
            Files.createDirectory(layout.directory(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // made before
        }
        Files.createDirectories(layout.refs());
    }

    private Optional<RefRecord> readRef(String key) {
        try {
            JsonNode node = JSON.readTree(layout.ref(key).toFile());
            if (!key.equals(node.path("reference").asText())) {
                return Optional.empty();
            }
            return Optional.of(new RefRecord(key, node.path("digest").asText(), node.path("anonymous").asBoolean(false)));
        } catch (IOException e) {
            return Optional.empty(); // never resolved here (or a torn record: resolve again)
        }
    }

    private void writeRef(RefRecord record) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("reference", record.key()).put("digest", record.digest())
                .put("anonymous", record.anonymous()).put("resolved", clock.instant().toString());
        writeAtomically(layout.ref(record.key()), JSON.writeValueAsBytes(node));
    }

    private static void writeMetadata(Path dir, Metadata metadata) throws IOException {
        ObjectNode node = JSON.createObjectNode().put("reference", metadata.reference()).put("digest", metadata.digest())
                .put("size", metadata.size());
        node.putArray("env").addAll(metadata.config().env().stream().map(JSON.getNodeFactory()::textNode).toList());
        node.put("workingDir", metadata.config().workingDir()).put("user", metadata.config().user());
        Files.write(dir.resolve(ImageLayout.METADATA), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    private static Metadata readMetadata(Path dir) throws IOException {
        JsonNode node = JSON.readTree(dir.resolve(ImageLayout.METADATA).toFile());
        List<String> env = new ArrayList<>();
        node.path("env").forEach(item -> env.add(item.asText()));
        return new Metadata(node.path("reference").asText(), node.path("digest").asText(),
                new ImageConfig(env, node.path("workingDir").asText(), node.path("user").asText()), node.path("size").asLong());
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId());
        Files.write(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * DIRECTORY with symbolic links in its parent's path resolved: job records hold the rootfs
     * path, and comparing it with another spelling would make an image in use look unused.
     */
    private static Path canonical(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute;
        }
    }

    /** What a reference resolved to, and whether without credentials (so: public). */
    private record RefRecord(String key, String digest, boolean anonymous) {
    }

    private record Metadata(String reference, String digest, ImageConfig config, long size) {
    }

    /** An image in place, for listing and eviction. */
    public record CachedImage(String digest, String reference, long size, java.time.Instant lastUsed, int jobs) {
    }
}
