package io.github.nspawnrunner.chroot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;

/**
 * Switches which version a chroot name points at. A rename of a new symbolic link over the old
 * one is atomic, so a job preparing at that moment gets the old version or the new one, never
 * neither. Done under the exclusive lock, so no job is between choosing and recording a version.
 */
final class ChrootLinks {
    private final ChrootLayout layout;
    private final ChrootUsage usage;

    ChrootLinks(ChrootLayout layout, ChrootUsage usage) {
        this.layout = layout;
        this.usage = usage;
    }

    void publish(ChrootName name, Path version) {
        try (ChrootLock ignored = ChrootLock.exclusive(layout)) {
            Path link = layout.link(name);
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                // a hand-made chroot becomes the first version: jobs on it keep their mounted overlay
                retirePlainDirectory(link, layout.newVersion(name, LocalDateTime.now().minusSeconds(1)));
            }
            Path temporary = layout.directory().resolve("." + name + ".link-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, layout.directory().relativize(version));
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot switch chroot '" + name + "' to " + version + ": " + e.getMessage(), e);
        }
    }

    /** Removes the name, so that no new job can choose it; running jobs keep their version. */
    void unpublish(ChrootName name) {
        try (ChrootLock ignored = ChrootLock.exclusive(layout)) {
            Path link = layout.link(name);
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                retirePlainDirectory(link, layout.newVersion(name, LocalDateTime.now()));
            } else {
                Files.deleteIfExists(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove chroot '" + name + "': " + e.getMessage(), e);
        }
    }

    private void retirePlainDirectory(Path directory, Path version) throws IOException {
        Files.createDirectories(version.getParent());
        Files.move(directory, version, StandardCopyOption.ATOMIC_MOVE);
        usage.relocate(directory, version);
    }
}
