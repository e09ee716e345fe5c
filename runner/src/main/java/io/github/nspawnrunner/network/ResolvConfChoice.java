package io.github.nspawnrunner.network;

import java.util.List;
import java.util.Optional;

/**
 * Which resolv.conf a private-network job gets (nspawn's --resolv-conf=), so that it names a
 * nameserver the job can reach. A loopback nameserver of the host is not one: inside, 127.0.0.1
 * is the job's own loopback. Copies, never bind mounts: a job must not be able to write the
 * host's file.
 *
 * @param mode    the value of --resolv-conf=
 * @param warning set when names cannot be resolved in the job, saying why
 */
public record ResolvConfChoice(String mode, Optional<String> warning) {
    static final String HOST_FILE = "/etc/resolv.conf";
    /** systemd-resolved's list of the real (uplink) nameservers, behind its 127.0.0.53 stub. */
    static final String UPLINK_FILE = "/run/systemd/resolve/resolv.conf";

    /**
     * HOST is the text of the host's /etc/resolv.conf, UPLINK that of resolved's uplink file
     * when it exists.
     */
    public static ResolvConfChoice choose(String host, Optional<String> uplink) {
        List<String> hostServers = nameservers(host);
        if (hostServers.stream().anyMatch(server -> !isLoopback(server))) {
            return new ResolvConfChoice("copy-host", Optional.empty());
        }
        if (uplink.map(ResolvConfChoice::nameservers).orElse(List.of()).stream().anyMatch(server -> !isLoopback(server))) {
            return new ResolvConfChoice("copy-uplink", Optional.empty());
        }
        String why = hostServers.isEmpty() ? HOST_FILE + " names no nameserver"
                : HOST_FILE + " names only loopback nameservers (" + String.join(", ", hostServers)
                        + "), which a job's own network cannot reach";
        return new ResolvConfChoice("copy-host", Optional.of("names cannot be resolved in private-network jobs: " + why
                + (uplink.isPresent() ? " and " + UPLINK_FILE + " names none it can" : " and systemd-resolved's "
                + UPLINK_FILE + " does not exist") + "; point the host at a nameserver on a non-loopback address"));
    }

    static List<String> nameservers(String resolvConf) {
        return resolvConf.lines()
                .map(String::trim)
                .filter(line -> line.startsWith("nameserver"))
                .map(line -> line.split("\\s+"))
                .filter(words -> words.length >= 2 && words[0].equals("nameserver"))
                .map(words -> words[1])
                .toList();
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0.0.0.0");
    }
}
