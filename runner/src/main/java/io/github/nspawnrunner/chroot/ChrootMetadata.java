package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * How a managed chroot was built, kept beside its versions for `chroot list` and `chroot upgrade`;
 * IMAGE is the image its version of that name was pulled from, if it was (`chroot pull`, `chroot follow`).
 */
public record ChrootMetadata(String distro, Optional<String> mirror, List<String> packages, Instant created, Instant updated,
        Optional<PulledImage> image) {
    public ChrootMetadata {
        packages = List.copyOf(packages);
    }

    public ChrootMetadata(String distro, Optional<String> mirror, List<String> packages, Instant created, Instant updated) {
        this(distro, mirror, packages, created, updated, Optional.empty());
    }

    /** A new version, made WHEN, pulled from IMAGE or (empty) made here. */
    public ChrootMetadata upgraded(Instant when, Optional<PulledImage> pulled) {
        return new ChrootMetadata(distro, mirror, packages, created, when, pulled);
    }

    static Optional<ChrootMetadata> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(new ChrootMetadata(
                properties.getProperty("distro", "unknown"),
                Optional.ofNullable(properties.getProperty("mirror")),
                Arrays.stream(properties.getProperty("packages", "").split(",")).filter(p -> !p.isEmpty()).toList(),
                Instant.parse(properties.getProperty("created", Instant.EPOCH.toString())),
                Instant.parse(properties.getProperty("updated", Instant.EPOCH.toString())),
                image(properties)));
    }

    private static Optional<PulledImage> image(Properties properties) {
        String version = properties.getProperty("image_version");
        String reference = properties.getProperty("image");
        String digest = properties.getProperty("image_digest");
        return version == null || reference == null || digest == null ? Optional.empty()
                : Optional.of(new PulledImage(version, reference, digest));
    }

    void write(Path file) {
        Properties properties = new Properties();
        properties.setProperty("distro", distro);
        mirror.ifPresent(url -> properties.setProperty("mirror", url));
        properties.setProperty("packages", String.join(",", packages));
        properties.setProperty("created", created.toString());
        properties.setProperty("updated", updated.toString());
        image.ifPresent(pulled -> {
            properties.setProperty("image", pulled.reference());
            properties.setProperty("image_digest", pulled.digest());
            properties.setProperty("image_version", pulled.version());
        });
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, "written by nspawn-runner chroot");
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
