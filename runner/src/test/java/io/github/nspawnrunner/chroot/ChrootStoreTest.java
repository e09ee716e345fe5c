package io.github.nspawnrunner.chroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChrootStoreTest {
    @TempDir
    Path chroots;

    @Test
    void resolvesAnExistingRootFilesystem() throws IOException {
        Files.createDirectories(chroots.resolve("bookworm/usr/bin"));
        Files.createFile(chroots.resolve("bookworm/usr/bin/bash"));
        Chroot chroot = new ChrootStore(chroots).require(new ChrootName("bookworm"));
        assertEquals(chroots.resolve("bookworm"), chroot.directory());
    }

    @Test
    void missingChrootSaysHowToBuildIt() {
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> new ChrootStore(chroots).require(new ChrootName("trixie")));
        assertTrue(e.getMessage().contains("chroot 'trixie' does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("nspawn-runner chroot create trixie"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutBashIsNotAChroot() throws IOException {
        Files.createDirectories(chroots.resolve("empty"));
        ExecutorException e = assertThrows(ExecutorException.class,
                () -> new ChrootStore(chroots).require(new ChrootName("empty")));
        assertTrue(e.getMessage().contains("has no bash"), e.getMessage());
    }
}
