package io.github.nspawnrunner.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One process's /proc directory, held open. Every read goes through that directory's file
 * descriptor (openat), which stays bound to the process it was opened for: once that process has
 * ended, reads fail instead of reaching a newer process that got its PID.
 */
final class CallerProcess implements AutoCloseable {
    private final long pid;
    private final SecureDirectoryStream<Path> directory;

    private CallerProcess(long pid, SecureDirectoryStream<Path> directory) {
        this.pid = pid;
        this.directory = directory;
    }

    static CallerProcess open(Path proc, long pid) throws IOException {
        if (pid <= 0) {
            throw new NoSuchFileException(proc + "/" + pid, null, "dbus-daemon knows no PID for the caller");
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(proc.resolve(Long.toString(pid)));
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return new CallerProcess(pid, secure);
        }
        stream.close();
        throw new IOException("this platform cannot read " + proc + "/" + pid + " relative to an open directory");
    }

    long pid() {
        return pid;
    }

    /** The effective uid, from the Uid line of status ("real effective saved filesystem"). */
    long effectiveUid() throws IOException {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line in /proc/" + pid + "/status");
    }

    /** The environment the process was started with (environ: NAME=VALUE entries, NUL-terminated). */
    Map<String, String> environment() throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : read("environ").split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.putIfAbsent(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    /** Whether ABSOLUTEPATH exists in the process's own view of the file system (its root, its mounts). */
    boolean sees(String absolutePath) {
        try {
            directory.getFileAttributeView(Path.of("root" + absolutePath), BasicFileAttributeView.class).readAttributes();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private String read(String file) throws IOException {
        try (InputStream in = Channels.newInputStream(directory.newByteChannel(Path.of(file), Set.of(StandardOpenOption.READ)))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
