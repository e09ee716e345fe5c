package io.github.nspawnrunner.machine;

import java.nio.file.Path;

/**
 * A device a job's profile grants, as prepare found it: the path the job sees (a glob's match,
 * possibly a symbolic link such as /dev/serial/by-id/...), the device node it is, and whether
 * other jobs may hold it at the same time.
 */
record JobDevice(Path path, Path node, boolean shared) {
    /** nspawn's --bind, whose paths escape ':' as "\\:" (udev's /dev/serial/by-path names have colons). */
    String nspawnOption() {
        return "--bind=" + escaped(node) + ":" + escaped(path);
    }

    private static String escaped(Path path) {
        return path.toString().replace("\\", "\\\\").replace(":", "\\:");
    }
}
