package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Which job holds which uid range: slot N is taken while {@code <state>/uid-ranges/N} exists, a
 * symbolic link naming the job's machine. Creating a link is atomic, so concurrent prepares (in
 * one JVM or in several) never get the same range without any lock; cleanup removes the job's link.
 */
final class UidRangeClaims {
    private final Path dir;

    UidRangeClaims(Path stateDir) {
        this.dir = stateDir.resolve("uid-ranges");
    }

    /** Claims the lowest free range for MACHINE. */
    UidRange claim(MachineName machine) {
        try {
            Files.createDirectories(dir);
            for (int slot = 0; slot < UidRange.SLOTS; slot++) {
                try {
                    Files.createSymbolicLink(dir.resolve(Integer.toString(slot)), Path.of(machine.value()));
                    return UidRange.ofSlot(slot);
                } catch (FileAlreadyExistsException taken) {
                    // held by another job: try the next one
                }
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot claim a uid range in " + dir + ": " + e.getMessage(), e);
        }
        throw ExecutorException.system("all " + UidRange.SLOTS + " uid ranges in " + dir + " are taken by jobs;"
                + " a link there whose job is long gone can be removed by hand");
    }

    /** Releases every range MACHINE holds; returns whether there was one. */
    boolean release(MachineName machine) {
        boolean found = false;
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
            for (Path link : links) {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().equals(machine.value())) {
                    Files.deleteIfExists(link);
                    found = true;
                }
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw ExecutorException.system("cannot release the uid range of " + machine + " in " + dir + ": "
                    + e.getMessage(), e);
        }
        return found;
    }
}
