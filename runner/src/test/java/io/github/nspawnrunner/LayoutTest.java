package io.github.nspawnrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Layout block against the tree: every top-level directory, every launcher and
 * helper script, and every package of the runner is named there, so the map a newcomer reads
 * first cannot drift from what is on disk.
 */
class LayoutTest {
    private static final Path MAIN = Path.of("runner/src/main/java/io/github/nspawnrunner");

    private static String layout() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Layout\n");
        assertTrue(start >= 0, "README.md has a Layout section");
        int open = readme.indexOf("```\n", start);
        int close = readme.indexOf("```\n", open + 4);
        return readme.substring(open + 4, close);
    }

    private static List<String> names(Path dir, boolean directories) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) == directories).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !name.equals("target")).sorted().toList();
        }
    }

    @Test
    void everyTopLevelDirectoryAndScriptIsNamed() throws IOException {
        String layout = layout();
        List<String> missing = Stream.of(names(Path.of("."), true).stream().map(dir -> dir + "/"),
                names(Path.of("bin"), false).stream().map(file -> "bin/" + file),
                names(Path.of("libexec"), false).stream().map(file -> "libexec/" + file),
                names(Path.of("doc"), false).stream().map(file -> "doc/" + file))
                .flatMap(s -> s).filter(name -> !layout.contains(name)).toList();
        assertEquals(List.of(), missing, "README.md's Layout does not name these");
    }

    @Test
    void everyPackageOfTheRunnerIsNamed() throws IOException {
        String layout = layout();
        List<String> missing = names(MAIN, true).stream().filter(pkg -> !layout.contains("\n  " + pkg + "/")).toList();
        assertEquals(List.of(), missing, "README.md's Layout names no such package line");
    }
}
