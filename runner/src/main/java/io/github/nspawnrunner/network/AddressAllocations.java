package io.github.nspawnrunner.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which job holds which /30: one file per subnet in DIR, named by its first address and holding
 * the machine name. Creating it with CREATE_NEW is atomic in the file system, so concurrent
 * prepares (threads of the executor service or separate JVMs, of any runner instance sharing
 * DIR) never get the same subnet. Files are keyed by address, not by pool index, so instances
 * with different pools still agree.
 */
public final class AddressAllocations {
    /**
     * On tmpfs: an allocation lives exactly as long as the links and rules it describes, which
     * a reboot removes too.
     */
    public static final Path DEFAULT_DIR = Path.of("/run/nspawn-runner/network");

    private final Path dir;

    public AddressAllocations(Path dir) {
        this.dir = dir;
    }

    /** The job's subnet: the one it already holds (left by an earlier attempt), else a free one of POOL. */
    public Subnet allocate(JobName job, AddressPool pool) {
        Optional<Subnet> held = find(job);
        if (held.isPresent()) {
            return held.get();
        }
        createDir();
        byte[] owner = (job.value() + "\n").getBytes(StandardCharsets.UTF_8);
        int size = pool.size();
        int first = pool.firstProbe(job);
        for (int probe = 0; probe < size; probe++) {
            Subnet subnet = pool.subnet((first + probe) % size);
            try {
                Files.write(fileOf(subnet), owner, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return subnet;
            } catch (FileAlreadyExistsException e) {
                // another job holds it: try the next
            } catch (IOException e) {
                throw new NetworkException("cannot record an address of " + job + " in " + dir + ": " + e.getMessage(), e);
            }
        }
        throw new NetworkException("all " + size + " /30 subnets of network_pool " + pool.pool()
                + " are in use (see " + dir + "): wait for jobs to end or give network_pool more room");
    }

    /** The subnet the job holds, if any. */
    public Optional<Subnet> find(JobName job) {
        return heldBy(job).stream().findFirst().map(AddressAllocations::subnetOf);
    }

    /** Frees whatever the job holds; returns whether it held anything. */
    public boolean release(JobName job) {
        List<Path> held = heldBy(job);
        for (Path file : held) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new NetworkException("cannot free the address of " + job + " (" + file + "): " + e.getMessage(), e);
            }
        }
        return !held.isEmpty();
    }

    private List<Path> heldBy(JobName job) {
        List<Path> held = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (owner(file).equals(job.value())) {
                    held.add(file);
                }
            }
        } catch (NoSuchFileException e) {
            // no job ever got an address here
        } catch (IOException e) {
            throw new NetworkException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return held;
    }

    private static String owner(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return ""; // released meanwhile
        } catch (IOException e) {
            throw new NetworkException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Path fileOf(Subnet subnet) {
        return dir.resolve(Subnet.dotted(subnet.network()));
    }

    private static Subnet subnetOf(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        long address = 0;
        for (String part : parts) {
            address = address << 8 | Integer.parseInt(part);
        }
        return new Subnet(address);
    }

    private void createDir() {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier job
        } catch (IOException e) {
            throw new NetworkException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
