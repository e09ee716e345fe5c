package io.github.nspawnrunner.network;

import io.github.nspawnrunner.host.CapturedCommand;
import io.github.nspawnrunner.host.Executables;
import io.github.nspawnrunner.host.HostCommandException;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        run(List.of(program("nft", "nftables").toString(), "-f", "-"), script, what);
    }

    /** Whether nft is installed: without it no job can have had a table. */
    public boolean hasNft() {
        return Executables.find("nft", SYSTEM_PATH).isPresent();
    }

    /** Runs ip commands in the host's (this process's) network namespace. */
    public void ip(String batch, String what) {
        run(List.of(program("ip", "iproute2").toString(), "-batch", "-"), batch, what);
    }

    /** Runs ip commands in the network namespace of process PID, and in nothing else of it. */
    public void ipInNetworkOf(long pid, String batch, String what) {
        run(List.of(program("nsenter", "util-linux").toString(), "--target=" + pid, "--net", "--",
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
            throw new NetworkException("cannot turn on IPv4 forwarding (" + file + "): " + e.getMessage(), e);
        }
    }

    /** Keeps IPv6 (and its link-local address) off link NAME; a host without IPv6 has nothing to turn off. */
    public void disableIpv6(String name) {
        Path file = procSys.resolve("net/ipv6/conf").resolve(name).resolve("disable_ipv6");
        try {
            Files.writeString(file, "1\n");
        } catch (NoSuchFileException e) {
            // IPv6 is off on this host
        } catch (IOException e) {
            throw new NetworkException("cannot turn off IPv6 on " + name + " (" + file + "): " + e.getMessage(), e);
        }
    }

    private static Path program(String name, String debianPackage) {
        return Executables.find(name, SYSTEM_PATH).orElseThrow(() -> new NetworkException(
                name + " is not installed: apt-get install " + debianPackage + " (or: nspawn-runner setup --install-deps)"));
    }

    private static void run(List<String> argv, String input, String what) {
        try {
            CapturedCommand.run(argv, input, what);
        } catch (HostCommandException e) {
            throw new NetworkException(e.getMessage(), e);
        }
    }
}
