package io.github.nspawnrunner.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where unpacked images live, under the state dir:
 * <pre>
 * images/                      0700
 *   .lock                      flock: shared while a job takes an image, exclusive while evicting
 *   sha256-HEX/                a complete image, renamed into place when whole: never half-unpacked
 *     rootfs/                  the lower dir of the job's overlay, exactly like a chroot version
 *     image.json               digest, reference, Env, WorkingDir, User, size
 *     last-used                its modification time is the image's last use
 *   .pull-sha256-HEX.lock      flock held by the one pull of that digest
 *   .building-sha256-HEX/      that pull's work (layout and rootfs); only the lock's holder touches it
 *   refs/SHA256(reference)     what a reference resolved to, and whether anonymously
 *   .trash/                    evicted images, deleted outside the lock
 * </pre>
 */
public record ImageLayout(Path directory) {
    static final String METADATA = "image.json";
    static final String LAST_USED = "last-used";
    static final String ROOTFS = "rootfs";

    public Path lockFile() {
        return directory.resolve(".lock");
    }

    public Path image(String digest) {
        return directory.resolve(dirName(digest));
    }

    public Path rootfs(String digest) {
        return image(digest).resolve(ROOTFS);
    }

    Path pullLock(String digest) {
        return directory.resolve(".pull-" + dirName(digest) + ".lock");
    }

    Path building(String digest) {
        return directory.resolve(".building-" + dirName(digest));
    }

    Path refs() {
        return directory.resolve("refs");
    }

    Path ref(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return refs().resolve(HexFormat.of().formatHex(hash) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path trash() {
        return directory.resolve(".trash");
    }

    /** Whether DIR (an entry of the directory) is a complete image. */
    static boolean isImage(Path dir) {
        return dir.getFileName().toString().startsWith("sha256-");
    }

    static String digestOf(Path imageDir) {
        return imageDir.getFileName().toString().replaceFirst("^sha256-", "sha256:");
    }

    private static String dirName(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.replace(':', '-');
    }
}
