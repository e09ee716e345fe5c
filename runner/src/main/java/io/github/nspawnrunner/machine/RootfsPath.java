package io.github.nspawnrunner.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Paths inside a root filesystem that is not ours (an image, chosen by the job): symbolic links
 * resolve as they would inside it, so an absolute link in the image never reaches the host's file.
 */
final class RootfsPath {
    private static final int MAX_LINKS = 40;
    private static final List<String> BASH = List.of("/bin/bash", "/usr/bin/bash");

    private RootfsPath() {
    }

    /** The image's bash as a path inside it, when it has one (an executable regular file). */
    static Optional<String> bash(Path rootfs) {
        return BASH.stream().filter(candidate -> resolve(rootfs, candidate)
                .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(file))
                .isPresent()).findFirst();
    }

    /** PATH, absolute inside ROOTFS, as the host file it names; empty when it does not exist or loops. */
    static Optional<Path> resolve(Path rootfs, String path) {
        Deque<String> todo = new ArrayDeque<>(Arrays.asList(path.split("/")));
        Path current = rootfs;
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String name = todo.pop();
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.equals("..")) {
                    current = current.equals(rootfs) ? rootfs : current.getParent();
                    continue;
                }
                Path next = current.resolve(name);
                if (Files.isSymbolicLink(next)) {
                    if (++links > MAX_LINKS) {
                        return Optional.empty();
                    }
                    String target = Files.readSymbolicLink(next).toString();
                    if (target.startsWith("/")) {
                        current = rootfs;
                    }
                    List<String> parts = Arrays.asList(target.split("/"));
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.push(parts.get(i));
                    }
                } else if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    current = next;
                } else {
                    return Optional.empty();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(current);
    }
}
