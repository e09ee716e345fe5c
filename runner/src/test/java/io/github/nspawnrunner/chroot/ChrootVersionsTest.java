package io.github.nspawnrunner.chroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version links, job records and collection, on plain directories (no processes involved). */
class ChrootVersionsTest {
    @TempDir
    Path tmp;

    private ChrootLayout layout;
    private Path jobs;
    private ChrootUsage usage;
    private final ChrootName demo = new ChrootName("demo");

    @BeforeEach
    void setUp() throws IOException {
        layout = ChrootLayout.canonical(Files.createDirectories(tmp.resolve("chroots")));
        jobs = Files.createDirectories(tmp.resolve("state/jobs"));
        usage = new ChrootUsage(jobs);
    }

    private Path version(int minute) throws IOException {
        Path version = layout.newVersion(demo, LocalDateTime.of(2026, 1, 1, 0, minute));
        Files.createDirectories(version.resolve("usr/bin"));
        Files.writeString(version.resolve("usr/bin/bash"), "v" + minute);
        return version;
    }

    private Path jobOn(String machine) throws IOException {
        Path jobDir = Files.createDirectories(jobs.resolve(machine));
        new ChrootStore(layout.directory()).acquire(demo, jobDir);
        return jobDir;
    }

    private String current() throws IOException {
        return Files.readString(new ChrootStore(layout.directory()).require(demo).directory().resolve("usr/bin/bash"));
    }

    private List<Path> collect() {
        return new ChrootCollector(layout, usage).collect();
    }

    @Test
    void aJobKeepsItsVersionAcrossAnUpgradeUntilItsCleanup() throws IOException {
        Path first = version(1);
        new ChrootLinks(layout, usage).publish(demo, first);
        Path job = jobOn("nsr-1");
        assertEquals(first + "\n", Files.readString(job.resolve(ChrootUsage.RECORD)));

        Path second = version(2);
        new ChrootLinks(layout, usage).publish(demo, second);
        assertEquals("v2", current());
        assertEquals(List.of(), collect(), "the job still uses the first version");
        assertTrue(Files.isDirectory(first));

        Files.delete(job.resolve(ChrootUsage.RECORD));
        Files.delete(job);
        assertEquals(List.of(first), collect());
        assertFalse(Files.exists(first));
        assertTrue(Files.isDirectory(second));
        assertFalse(Files.exists(layout.trash().resolve(first.getFileName())));
    }

    @Test
    void anImageJobsHelperKeepsItsVersionOfTheDefaultChrootAcrossAnUpgrade() throws IOException {
        Path first = version(1);
        new ChrootLinks(layout, usage).publish(demo, first);
        Path job = Files.createDirectories(jobs.resolve("nsr-4"));
        Files.writeString(job.resolve(ChrootUsage.RECORD), "/s/images/sha256-x/rootfs\n"); // the job's image
        new ChrootStore(layout.directory()).acquireForHelper(demo, job);
        assertEquals(first + "\n", Files.readString(job.resolve(ChrootUsage.HELPER_RECORD)));
        assertEquals("/s/images/sha256-x/rootfs\n", Files.readString(job.resolve(ChrootUsage.RECORD)), "the image's record stays");

        new ChrootLinks(layout, usage).publish(demo, version(2));
        assertEquals(List.of(), collect(), "the helper still uses the first version");
        Files.delete(job.resolve(ChrootUsage.HELPER_RECORD));
        assertEquals(List.of(first), collect());
    }

    @Test
    void aHandMadeDirectoryBecomesTheFirstVersionAndItsJobsFollowIt() throws IOException {
        Path plain = layout.link(demo);
        Files.createDirectories(plain.resolve("usr/bin"));
        Files.writeString(plain.resolve("usr/bin/bash"), "plain");
        Path job = jobOn("nsr-7");
        assertEquals(plain + "\n", Files.readString(job.resolve(ChrootUsage.RECORD)));

        new ChrootLinks(layout, usage).publish(demo, version(5));
        assertTrue(Files.isSymbolicLink(plain));
        assertEquals("v5", current());
        Path moved = Path.of(Files.readString(job.resolve(ChrootUsage.RECORD)).trim());
        assertTrue(moved.startsWith(layout.versionsDir(demo)), moved.toString());
        assertEquals("plain", Files.readString(moved.resolve("usr/bin/bash")));
        assertEquals(List.of(), collect(), "the job's (moved) version is in use");
    }

    @Test
    void removingKeepsVersionsInUseAndCollectsTheRest() throws IOException {
        new ChrootLinks(layout, usage).publish(demo, version(1));
        Path job = jobOn("nsr-3");
        new ChrootLinks(layout, usage).unpublish(demo);
        assertFalse(Files.exists(layout.link(demo)));
        assertEquals(List.of(), collect());

        Files.delete(job.resolve(ChrootUsage.RECORD));
        assertEquals(1, collect().size());
        assertFalse(Files.exists(layout.versionsDir(demo)), "nothing of a removed chroot stays");
    }

    @Test
    void halfBuiltVersionsAndMetadataAreNotCollected() throws IOException {
        Path current = version(1);
        new ChrootLinks(layout, usage).publish(demo, current);
        Path building = Files.createDirectories(layout.versionsDir(demo).resolve("v20260101-000200-000.building.42"));
        Files.writeString(layout.metadata(demo), "distro=bookworm\n");
        assertEquals(List.of(), collect());
        assertTrue(Files.isDirectory(building));
        assertTrue(Files.exists(layout.metadata(demo)));
    }

    @Test
    void versionsSeenThroughALinkedChrootsDirAreStillRecognised() throws IOException {
        Path linked = Files.createSymbolicLink(tmp.resolve("chroots-link"), layout.directory());
        ChrootLayout viaLink = ChrootLayout.canonical(linked);
        new ChrootLinks(viaLink, usage).publish(demo, version(1));
        jobOn("nsr-9");
        new ChrootLinks(viaLink, usage).publish(demo, version(2));
        assertEquals(List.of(), new ChrootCollector(viaLink, usage).collect(), "in-use version looked unused");
    }
}
