package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.DeviceGrant;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a profile's device paths and globs to the device nodes there are now, at prepare: a
 * board plugged in since the last job is found, one unplugged is missing. A glob matches within
 * one directory level ("/dev/ttyUSB*", "/dev/serial/by-id/*"), as the shell would.
 */
final class DeviceMatcher {
    private final Log log;
    private final String job;

    DeviceMatcher(Log log, String job) {
        this.log = log;
        this.job = job;
    }

    List<JobDevice> resolve(Profile profile) {
        Map<Path, JobDevice> devices = new TreeMap<>();
        for (DeviceGrant grant : profile.devices()) {
            List<Path> matches = matches(grant.pattern());
            if (matches.isEmpty()) {
                String missing = "device " + grant.pattern() + " of profile " + profile.name() + " matches nothing on this host";
                if (!profile.skipMissingDevices()) {
                    throw ExecutorException.system(missing + " (its missing_devices is \"fail\"): plug it in, or set"
                            + " missing_devices = \"skip\" in [profiles." + profile.name() + "]");
                }
                log.info(job + ": " + missing + "; skipped (missing_devices = \"skip\")");
            }
            for (Path path : matches) {
                Path node = node(path, grant.pattern());
                if (profile.userNamespace()) {
                    requireOpenableInUserNamespace(node, profile);
                }
                devices.putIfAbsent(path, new JobDevice(path, node, grant.shared()));
            }
        }
        return new ArrayList<>(devices.values());
    }

    private static List<Path> matches(String pattern) {
        Path path = Path.of(pattern);
        String name = path.getFileName().toString();
        boolean glob = name.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
        if (!glob) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        PathMatcher matcher = path.getFileSystem().getPathMatcher("glob:" + name);
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path.getParent())) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName()) && Files.exists(entry)) {
                    matches.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw ExecutorException.system("cannot list " + path.getParent() + " for device " + pattern + ": " + e.getMessage(), e);
        }
        matches.sort(null);
        return matches;
    }

    /** The device node PATH is, following links: the device cgroup allows nodes, not link names. */
    private static Path node(Path path, String pattern) {
        try {
            Path node = path.toRealPath();
            Object kind = Files.getAttribute(node, "unix:mode");
            int type = ((Integer) kind) & 0170000;
            if (type != 0020000 && type != 0060000) {
                throw ExecutorException.system(path + " (matched by device " + pattern + ") is not a device node");
            }
            return node;
        } catch (IOException e) {
            throw ExecutorException.system("cannot read device " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * In a user namespace the job's root is no host user: it opens a device only if the device's
     * "other" permissions let everyone (as /dev/kvm, /dev/fuse and /dev/net/tun do).
     */
    private static void requireOpenableInUserNamespace(Path node, Profile profile) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(node, PosixFileAttributes.class);
            var permissions = attributes.permissions();
            if (!permissions.contains(PosixFilePermission.OTHERS_READ) || !permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw ExecutorException.system("device " + node + " (" + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
                        + " " + attributes.owner().getName() + ":" + attributes.group().getName() + ") cannot be opened by a job in"
                        + " a user namespace, whose root is no host user: set user_namespace = false in [profiles." + profile.name()
                        + "], or give the device mode 0666 with a udev rule");
            }
        } catch (IOException e) {
            throw ExecutorException.system("cannot read device " + node + ": " + e.getMessage(), e);
        }
    }
}
