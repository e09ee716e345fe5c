package io.github.nspawnrunner.network;

import io.github.nspawnrunner.host.CapturedCommand;
import io.github.nspawnrunner.host.Executables;
import io.github.nspawnrunner.host.HostCommandException;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's network tools as nspawn-runner uses them: ip and nft with their whole input on stdin
 * (one process per batch), nsenter into a container's network namespace only, and sysctls
 * written under /proc/sys. Programs are looked up in the system's own directories, never in a
 * caller's PATH, and get no shell.
 */
public final class NetworkTools {
    private static final String SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path procSys;

    public NetworkTools(Path procSys) {
        this.procSys = procSys;
    }

    public static NetworkTools system() {
        return new NetworkTools(Path.of("/proc/sys"));
    }

    /** Runs an nft script (nft -f -). */
    public void nft(String script, String what) {
        startNft(script, what).await();
    }

    /** Starts an nft script; the caller awaits its end. */
    public Started startNft(String script, String what) {
        return start(List.of(program("nft", "nftables").toString(), "-f", "-"), script, what);
    }

    /** Whether nft is installed: without it no job can have had a table. */
    public boolean hasNft() {
        return Executables.find("nft", SYSTEM_PATH).isPresent();
    }

    /** Runs ip commands in the host's (this process's) network namespace. */
    public void ip(String batch, String what) {
        run(List.of(program("ip", "iproute2").toString(), "-batch", "-"), batch, what);
    }

    /** Starts ip commands in the network namespace of process PID (in nothing else of it); the caller awaits their end. */
    public Started startIpInNetworkOf(long pid, String batch, String what) {
        return start(List.of(program("nsenter", "util-linux").toString(), "--target=" + pid, "--net", "--",
                program("ip", "iproute2").toString(), "-batch", "-"), batch, what);
    }

    /** Whether this network namespace has a link named NAME (asked of the kernel, no process). */
    public boolean linkExists(String name) {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (SocketException e) {
            throw new NetworkException("cannot look up link " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Turns on IPv4 forwarding, never off: other jobs rely on it, and writing the value resets
     * per-interface settings, so it is written only when it is not on yet.
     */
    public void enableIpv4Forwarding() {
        Path file = procSys.resolve("net/ipv4/ip_forward");
        try {
            if (!Files.readString(file).trim().equals("1")) {
                Files.writeString(file, "1\n");
            }
        } catch (IOException e) {
            throw new NetworkException("cannot turn on IPv4 forwarding in " + file + ": "
                    + (e instanceof FileSystemException failure && failure.getReason() != null ? failure.getReason() : e.getMessage()), e);
        }
    }

    private static Path program(String name, String debianPackage) {
        return Executables.find(name, SYSTEM_PATH).orElseThrow(() -> new NetworkException(
                name + " is not installed: apt-get install " + debianPackage + " (or: nspawn-runner setup --install-deps)"));
    }

    private static void run(List<String> argv, String input, String what) {
        start(argv, input, what).await();
    }

    private static Started start(List<String> argv, String input, String what) {
        try {
            return new Started(CapturedCommand.start(argv, input, what));
        } catch (HostCommandException e) {
            throw new NetworkException(e.getMessage(), e);
        }
    }

    /** A tool that is running. */
    public record Started(CapturedCommand command) {
        public void await() {
            try {
                command.await();
            } catch (HostCommandException e) {
                throw new NetworkException(e.getMessage(), e);
            }
        }
    }
}
