package io.github.nspawnrunner.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.HostCommandException;
import io.github.nspawnrunner.host.PrivateDir;
import io.github.nspawnrunner.host.Skopeo;
import io.github.nspawnrunner.host.ToolStoppedException;
import io.github.nspawnrunner.host.Umoci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@link ImageRegistry} with skopeo and umoci. The job's credentials for the one registry go into
 * an auth file (0600) in a private directory (0700) under RUNTIMEDIR, which is removed as soon as
 * skopeo is done: they are never on a command line, in a log, or on disk after the call.
 */
public final class ToolRegistry implements ImageRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAG = "image";

    private final Skopeo skopeo;
    private final Umoci umoci;
    private final Path runtimeDir;
    /** The manifests resolve() fetched, by digest, for this call (a registry is made per call): a pull reads their size without asking again. */
    private final Map<String, byte[]> resolved = new ConcurrentHashMap<>();

    public ToolRegistry(Skopeo skopeo, Umoci umoci, Path runtimeDir) {
        this.skopeo = skopeo;
        this.umoci = umoci;
        this.runtimeDir = runtimeDir;
    }

    @Override
    public String resolve(ImageReference reference, Optional<RegistryCredentials> credentials, Consumer<String> progress) {
        byte[] manifest;
        try (PrivateDir dir = PrivateDir.create(runtimeDir)) {
            // skopeo's complaint is in the failure's one line: not also as progress
            manifest = skopeo.rawManifest(reference.transportReference(), authFile(dir, reference, credentials), line -> { });
        } catch (HostCommandException e) {
            throw failure("cannot resolve", reference, credentials, e);
        } catch (IOException e) {
            throw ExecutorException.system("cannot resolve image " + reference + ": " + e.getMessage(), e);
        }
        String digest = "sha256:" + sha256(manifest);
        if (reference.digest() != null && !reference.digest().equals(digest)) {
            throw ExecutorException.system("registry " + reference.registry() + " answered " + reference.transportReference()
                    + " with a manifest whose digest is " + digest);
        }
        resolved.put(digest, manifest);
        return digest;
    }

    @Override
    public ImageConfig fetch(ImageReference pinned, Optional<RegistryCredentials> credentials, Path work, Path rootfs, long maxBytes,
            Consumer<String> progress) {
        Path layout = work.resolve("oci");
        ImageConfig config;
        PullBudget budget = null;
        try (PrivateDir dir = PrivateDir.create(runtimeDir)) {
            Path authFile = authFile(dir, pinned, credentials);
            OptionalLong declared = declaredSize(pinned, authFile);
            if (declared.isPresent() && declared.getAsLong() > maxBytes) {
                throw ExecutorException.build("image " + pinned + " is " + (declared.getAsLong() >> 20) + " MB to download, more"
                        + " than this runner's image_max_size, " + (maxBytes >> 20) + " MB: use a smaller image or ask the"
                        + " runner's admin");
            }
            budget = PullBudget.of(work, maxBytes);
            skopeo.copyToLayout(pinned.transportReference(), layout, TAG, authFile, progress, budget);
            afterwards("pull", pinned, budget);
        } catch (ToolStoppedException e) {
            throw stopped("pull", pinned, budget, e.reason());
        } catch (HostCommandException e) {
            throw failure("cannot pull", pinned, credentials, e);
        } catch (IOException e) {
            throw ExecutorException.system("cannot pull image " + pinned + ": " + e.getMessage(), e);
        }
        try {
            config = OciLayout.config(layout, TAG);
            budget = PullBudget.of(rootfs, maxBytes);
            umoci.rawUnpack(layout, TAG, rootfs, progress, budget);
            afterwards("unpack", pinned, budget);
        } catch (ToolStoppedException e) {
            throw stopped("unpack", pinned, budget, e.reason());
        } catch (HostCommandException e) {
            throw ExecutorException.system("cannot unpack image " + pinned + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw ExecutorException.system("cannot read the config of image " + pinned + ": " + e.getMessage(), e);
        }
        return config;
    }

    @Override
    public String publish(Path rootfs, ImageReference reference, Optional<RegistryCredentials> credentials, ImageConfig config,
            Path work, Consumer<String> progress) {
        Path layout = work.resolve("oci");
        try {
            umoci.create(layout, TAG, rootfs, config.env(), config.workingDir().isEmpty() ? "/" : config.workingDir(), progress);
        } catch (HostCommandException e) {
            throw ExecutorException.system("cannot pack " + rootfs + " as an image: " + e.getMessage(), e);
        }
        try (PrivateDir dir = PrivateDir.create(runtimeDir)) {
            Path digestFile = dir.path().resolve("digest");
            skopeo.copyFromLayout(layout, TAG, reference.transportReference(), authFile(dir, reference, credentials), digestFile,
                    progress);
            return java.nio.file.Files.readString(digestFile).trim();
        } catch (HostCommandException e) {
            throw failure("cannot push", reference, credentials, e);
        } catch (IOException e) {
            throw ExecutorException.system("cannot push image " + reference + ": " + e.getMessage(), e);
        }
    }

    /**
     * What PINNED's manifest declares its layers take (compressed), for this host's platform when
     * it is a manifest list: one more manifest request, on a pull only; empty when it says none.
     */
    private OptionalLong declaredSize(ImageReference pinned, Path authFile) {
        byte[] top = resolved.remove(pinned.digest());
        DeclaredSize declared = declared(pinned, top != null ? top : skopeo.rawManifest(pinned.transportReference(), authFile, line -> { }));
        long largest = -1;
        for (String digest : declared.platformManifests()) {
            OptionalLong layers = declared(pinned, skopeo.rawManifest(pinned.withDigest(digest).transportReference(), authFile,
                    line -> { })).layers();
            if (layers.isEmpty()) {
                return OptionalLong.empty();
            }
            largest = Math.max(largest, layers.getAsLong());
        }
        return largest >= 0 ? OptionalLong.of(largest) : declared.layers();
    }

    /** What MANIFEST, one of PINNED's, declares; a manifest that is not JSON is the image's fault. */
    private static DeclaredSize declared(ImageReference pinned, byte[] manifest) {
        try {
            return DeclaredSize.of(manifest, DeclaredSize.hostArchitecture());
        } catch (IOException e) {
            throw ExecutorException.build("image " + pinned + " has a manifest that is not JSON: " + e.getMessage().lines()
                    .findFirst().orElse(""));
        }
    }

    /** The tree a tool left when it ended, looked at once more: it may have ended between two looks of BUDGET. */
    private static void afterwards(String step, ImageReference pinned, PullBudget budget) {
        Optional<String> breach = budget.breachNow();
        if (breach.isPresent()) {
            throw stopped(step, pinned, budget, breach.get());
        }
    }

    /** A pull BUDGET stopped for REASON: the job chose too large an image, or the runner's disk is full. */
    private static ExecutorException stopped(String step, ImageReference pinned, PullBudget budget, String reason) {
        String line = "cannot " + step + " image " + pinned + ": stopped, " + reason;
        return budget.stoppedForTheDisk() ? ExecutorException.system(line)
                : ExecutorException.build(line + ": use a smaller image or ask the runner's admin");
    }

    /** The auth file skopeo reads: the job's credentials for this registry only, or none at all. */
    private static Path authFile(PrivateDir dir, ImageReference reference, Optional<RegistryCredentials> credentials)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        credentials.ifPresent(given -> auths.putObject(reference.registry()).put("auth", Base64.getEncoder().encodeToString(
                (given.username() + ":" + given.password()).getBytes(StandardCharsets.UTF_8))));
        return dir.write("auth.json", JSON.writeValueAsBytes(root));
    }

    /** The job's fault when the registry refused it or has no such image; the host's otherwise. */
    private static ExecutorException failure(String what, ImageReference reference, Optional<RegistryCredentials> credentials,
            HostCommandException e) {
        String message = e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        boolean jobsFault = lower.contains("unauthorized") || lower.contains("denied") || lower.contains("not found")
                || lower.contains("manifest unknown") || lower.contains("authentication required");
        String with = credentials.map(given -> "with the job's " + given).orElse(
                "anonymously (the job gives no credentials for " + reference.registry() + ")");
        String line = what + " image " + reference + " " + with + ": " + message;
        return jobsFault ? ExecutorException.build(line) : ExecutorException.system(line, e);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
