package io.github.nspawnrunner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    private static final long SHIFT = 0x70010000L;

    @TempDir
    Path dir;

    private static long owner(Path file, String attribute) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:" + attribute, LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void shiftOwnershipMovesEveryFileAndLinkButNotWhatALinkPointsTo() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path outside = Files.writeString(dir.resolve("outside"), "not part of the tree");
        Path tree = Files.createDirectories(dir.resolve("upper/etc/systemd/system"));
        Files.createSymbolicLink(tree.resolve("getty.target"), Path.of("/dev/null"));
        Files.createSymbolicLink(tree.resolve("out"), outside);
        Path file = Files.writeString(tree.resolve("f"), "x");
        Files.setAttribute(file, "unix:uid", 1000);
        Files.setAttribute(file, "unix:gid", 100);

        FileTrees.shiftOwnership(dir.resolve("upper"), SHIFT);

        for (Path shifted : new Path[] {dir.resolve("upper"), tree, tree.resolve("getty.target"), tree.resolve("out")}) {
            assertEquals(SHIFT, owner(shifted, "uid"), shifted.toString());
            assertEquals(SHIFT, owner(shifted, "gid"), shifted.toString());
        }
        assertEquals(SHIFT + 1000, owner(file, "uid"));
        assertEquals(SHIFT + 100, owner(file, "gid"));
        assertEquals(0, owner(outside, "uid"));
        assertEquals(0, owner(Path.of("/dev/null"), "uid"));
    }
}
