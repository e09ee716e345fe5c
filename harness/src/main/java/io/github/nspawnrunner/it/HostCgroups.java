package io.github.nspawnrunner.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cgroups that a test host's systemd makes in this machine's real v1 hierarchies once its
 * controllers are writable (see TestHost#enableLimits): what was there before it booted, so that
 * the empty ones it added can be removed after it ended.
 */
record HostCgroups(Map<Path, Set<String>> before) {
    static final List<String> CONTROLLERS = List.of("memory", "pids", "devices", "cpu", "cpuacct", "blkio");
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    static HostCgroups snapshot() {
        return new HostCgroups(CONTROLLERS.stream().map(ROOT::resolve).filter(Files::isDirectory)
                .collect(Collectors.toMap(dir -> dir, HostCgroups::unitDirs)));
    }

    /** Removes, depth-first, the empty unit cgroups added since the snapshot; a busy one stays and is named. */
    void removeAdded() {
        before.forEach((hierarchy, existing) -> {
            for (String added : unitDirs(hierarchy)) {
                if (existing.contains(added)) {
                    continue;
                }
                try (Stream<Path> tree = Files.walk(hierarchy.resolve(added))) {
                    for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(dir); // rmdir: a cgroup with processes refuses
                    }
                } catch (IOException e) {
                    System.err.println("test harness: cgroup left in " + hierarchy + ": " + e);
                }
            }
        });
    }

    /** Top-level cgroups named like systemd's units (system.slice, init.scope, dev-hugepages.mount). */
    private static Set<String> unitDirs(Path hierarchy) {
        try (Stream<Path> entries = Files.list(hierarchy)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                    .filter(name -> name.matches(".+\\.(slice|scope|mount)")).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
