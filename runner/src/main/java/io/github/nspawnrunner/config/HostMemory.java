package io.github.nspawnrunner.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's physical memory, of which a memory limit such as 50% is taken. */
public final class HostMemory {
    private HostMemory() {
    }

    /** MemTotal of /proc/meminfo in bytes (not the JVM's view, which a container limit may shrink). */
    public static long total() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the host's memory size from /proc/meminfo: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no MemTotal in /proc/meminfo");
    }
}
