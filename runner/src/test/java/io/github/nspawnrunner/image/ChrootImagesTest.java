package io.github.nspawnrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.chroot.ChrootException;
import io.github.nspawnrunner.chroot.ChrootLayout;
import io.github.nspawnrunner.chroot.ChrootManager;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.ChrootUsage;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.host.RootfsBuilder;
import io.github.nspawnrunner.systemd.NspawnShell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `chroot follow` and `chroot pull` against a registry that counts its requests; real chroot versions on disk. */
class ChrootImagesTest {
    private static final ImageReference TAG = ImageReference.parse("registry.example.com/fleet/bookworm:stable");
    private static final String V1 = "sha256:" + "1".repeat(64);
    private static final String V2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path tmp;

    private final CountingRegistry registry = new CountingRegistry();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final ChrootName name = new ChrootName("bookworm");
    private ChrootLayout layout;
    private Path jobs;
    private ChrootImages images;
    private ChrootManager manager;
    private Instant now = Instant.parse("2026-12-03T20:00:00Z");

    /** A registry whose tag names DIGEST; a fetch writes the digest into the root filesystem. */
    private static final class CountingRegistry implements ImageRegistry {
        String digest = V1;
        final List<String> resolved = new ArrayList<>();
        final List<String> fetched = new ArrayList<>();
        final List<Long> budgets = new ArrayList<>();

        @Override
        public String resolve(ImageReference reference, Optional<RegistryCredentials> credentials, Consumer<String> progress) {
            resolved.add(reference.toString());
            return digest;
        }

        @Override
        public ImageConfig fetch(ImageReference pinned, Optional<RegistryCredentials> credentials, Path work, Path rootfs,
                long maxBytes, Consumer<String> progress) {
            budgets.add(maxBytes);
            fetched.add(pinned.toString());
            try {
                Files.createDirectories(rootfs.resolve("usr/bin"));
                Files.writeString(rootfs.resolve("usr/bin/bash"), pinned.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ImageConfig(List.of(), "/", "");
        }

        @Override
        public String publish(Path rootfs, ImageReference reference, Optional<RegistryCredentials> credentials, ImageConfig config,
                Path work, Consumer<String> progress) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        layout = ChrootLayout.canonical(Files.createDirectories(tmp.resolve("chroots")));
        jobs = Files.createDirectories(tmp.resolve("state/jobs"));
        // each version a millisecond apart, as versions are named by the clock
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now = now.plusMillis(1);
                return now;
            }
        };
        manager = new ChrootManager(layout, new ChrootUsage(jobs), new RootfsBuilder(Installation.current()),
                new NspawnShell(), clock, new Log(new PrintStream(log, true), false));
        images = new ChrootImages(manager, registry, new Log(new PrintStream(log, true), false));
    }

    private String current() throws IOException {
        return Files.readString(layout.link(name).resolve("usr/bin/bash"));
    }

    private List<String> versions() throws IOException {
        try (Stream<Path> entries = Files.list(layout.versionsDir(name))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v")).sorted().toList();
        }
    }

    @Test
    void aFollowedTagIsPulledOnceThenOnlyResolvedUntilItMoves() throws IOException {
        ChrootImages.Followed first = images.follow(TAG, name, Optional.empty());
        assertTrue(first.installed());
        assertEquals(V1, current());
        assertEquals(List.of(TAG + "@" + V1), registry.fetched, "fetched by digest, not by the tag that may move");
        assertEquals(List.of(Long.MAX_VALUE), registry.budgets, "the admin's pull has no image budget");
        String link = Files.readSymbolicLink(layout.link(name)).toString();

        ChrootImages.Followed again = images.follow(TAG, name, Optional.empty());
        assertFalse(again.installed());
        assertEquals(first.image(), again.image());
        assertEquals(2, registry.resolved.size(), "one manifest request per follow");
        assertEquals(1, registry.fetched.size(), "nothing fetched when the tag did not move");
        assertEquals(link, Files.readSymbolicLink(layout.link(name)).toString(), "no switch");
        assertEquals(1, versions().size(), "no new version");
        assertEquals(Optional.of(TAG + "@" + V1), manager.list().get(0).image(), "chroot list --json says which image");

        registry.digest = V2;
        ChrootImages.Followed moved = images.follow(TAG, name, Optional.empty());
        assertTrue(moved.installed());
        assertEquals(V2, current());
        assertEquals(V2, moved.image().digest());
        assertEquals(List.of(moved.image().version()), versions(), "the old version, which no job used, is gone");
        assertTrue(log.toString().contains("chroot 'bookworm' follows " + TAG + ": the tag moved from " + V1 + " to " + V2), log.toString());
        String recorded = Files.readString(layout.metadata(name));
        assertTrue(recorded.contains("image_digest=" + V2.replace(":", "\\:")) && recorded.contains("image_version=" + moved.image().version()),
                recorded);
    }

    @Test
    void aPullIsRecordedSoThatFollowingTheSameImageAfterwardsFetchesNothing() throws IOException {
        images.pull(TAG, name, Optional.empty());
        assertFalse(images.follow(TAG, name, Optional.empty()).installed());
        assertEquals(1, registry.fetched.size());
        images.pull(TAG, name, Optional.empty());
        assertEquals(2, registry.fetched.size(), "pull always installs");
    }

    @Test
    void aJobKeepsTheVersionItHadWhenTheTagMoves() throws IOException {
        images.follow(TAG, name, Optional.empty());
        Path old = layout.link(name).toRealPath();
        Path job = Files.createDirectories(jobs.resolve("nsr-1"));
        new io.github.nspawnrunner.chroot.ChrootStore(layout.directory()).acquire(name, job);
        registry.digest = V2;
        images.follow(TAG, name, Optional.empty());
        assertEquals(V2, current());
        assertEquals(V1, Files.readString(old.resolve("usr/bin/bash")), "the job's version stays");
        assertEquals(2, versions().size());
    }

    @Test
    void aPlainDirectoryIsRefusedBeforeAnyRequest() throws IOException {
        Files.createDirectories(layout.link(name).resolve("usr/bin"));
        ChrootException e = assertThrows(ChrootException.class, () -> images.follow(TAG, name, Optional.empty()));
        assertTrue(e.getMessage().startsWith("chroot 'bookworm' is a plain directory"), e.getMessage());
        assertEquals(List.of(), registry.resolved);
    }
}
