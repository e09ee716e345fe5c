package io.github.nspawnrunner.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The jar the service was started from, as it was then. A launcher of another installation, or
 * a jar replaced by an upgrade, must not be served by this JVM's classes.
 */
public record ServedJar(Path jar, Object fileKey, FileTime modified, long size) {
    public static ServedJar of(Path jar) {
        try {
            Path real = jar.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            return new ServedJar(real, attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the service's own jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Whether CLIENT_JAR (a launcher's jar, as it names it) is this very file. */
    public boolean isSameFileAs(String clientJar) {
        try {
            return !clientJar.isEmpty() && Path.of(clientJar).toRealPath().equals(jar);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the file on disk is no longer the one this JVM loaded (replaced, rewritten or gone). */
    public boolean changedOnDisk() {
        try {
            return !equals(of(jar));
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
