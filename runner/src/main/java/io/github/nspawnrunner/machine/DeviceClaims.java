package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which job holds which exclusive device (a board's serial port): the device is held while
 * {@code <dir>/<device path, URL-encoded>} exists, a symbolic link naming the job's machine.
 * Creating a link is atomic, so two jobs never both get a device, without any lock. A job claims
 * its devices in path order, so two jobs that want the same two devices cannot each hold one and
 * wait for the other. Cleanup removes the job's links; the directory is under /run, so a reboot
 * frees every device.
 */
final class DeviceClaims {
    static final Path DEFAULT_DIR = Path.of("/run/nspawn-runner/devices");
    private static final Duration POLL = Duration.ofMillis(250);

    private final Path dir;

    DeviceClaims(Path dir) {
        this.dir = dir;
    }

    /** Claims each exclusive device of DEVICES for MACHINE, waiting up to WAIT for each one another job holds. */
    void claim(MachineName machine, List<JobDevice> devices, Duration wait, Log log, String job) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (JobDevice device : devices) {
            if (!device.shared()) {
                claim(machine, device.node(), deadline, wait, log, job);
            }
        }
    }

    private void claim(MachineName machine, Path node, long deadline, Duration wait, Log log, String job) {
        Path link = dir.resolve(URLEncoder.encode(node.toString(), StandardCharsets.UTF_8));
        boolean told = false;
        while (true) {
            try {
                Files.createDirectories(dir);
                Files.createSymbolicLink(link, Path.of(machine.value()));
                if (told) {
                    log.info(job + ": got device " + node);
                }
                return;
            } catch (FileAlreadyExistsException held) {
                Optional<String> holder = holder(link);
                if (holder.isPresent() && holder.get().equals(machine.value())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw ExecutorException.system(job + " waited " + wait.toSeconds() + " s for device " + node + ", held by "
                            + holder.map(name -> "machine " + name).orElse("another job") + " (device_wait_seconds); 'nspawn-runner"
                            + " jobs gc' frees the devices of jobs that are gone");
                }
                if (!told) {
                    log.info(job + ": waiting for device " + node + ", held by " + holder.map(name -> "machine " + name)
                            .orElse("another job") + ", up to " + wait.toSeconds() + " s");
                    told = true;
                }
                sleep();
            } catch (IOException e) {
                throw ExecutorException.system("cannot claim device " + node + " in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static Optional<String> holder(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The devices MACHINE holds, as device paths. */
    List<Path> heldBy(MachineName machine) {
        List<Path> devices = new ArrayList<>();
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
            for (Path link : links) {
                if (holder(link).filter(machine.value()::equals).isPresent()) {
                    devices.add(Path.of(URLDecoder.decode(link.getFileName().toString(), StandardCharsets.UTF_8)));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw ExecutorException.system("cannot list the device claims in " + dir + ": " + e.getMessage(), e);
        }
        return devices;
    }

    /** Releases every device MACHINE holds; returns whether there was one. */
    boolean release(MachineName machine) {
        boolean found = false;
        for (Path device : heldBy(machine)) {
            try {
                found |= Files.deleteIfExists(dir.resolve(URLEncoder.encode(device.toString(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw ExecutorException.system("cannot release device " + device + " of " + machine + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExecutorException.system("interrupted while waiting for a device");
        }
    }
}
