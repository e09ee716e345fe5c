package io.github.nspawnrunner.network;

import io.github.nspawnrunner.config.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A job's own network: a veth pair that nspawn creates (the container's end is host0), a /30 of
 * the pool on it, forwarding and masquerading through the host, and the job's nftables table.
 * Needs no systemd-networkd: the runner addresses both ends itself. Whatever it creates is named
 * after the job and removed by {@link #remove()}; the veth also dies with the container's
 * network namespace.
 */
public final class PrivateNetwork {
    public static final String CONTAINER_INTERFACE = "host0";

    private final JobName job;
    private final AddressAllocations allocations;
    private final NetworkTools tools;

    public PrivateNetwork(JobName job, AddressAllocations allocations, NetworkTools tools) {
        this.job = job;
        this.allocations = allocations;
        this.tools = tools;
    }

    /** The nspawn options of a private-network container whose resolv.conf is chosen by DNS. */
    public List<String> nspawnOptions(ResolvConfChoice dns) {
        return List.of("--network-veth-extra=" + job.hostInterface() + ":" + CONTAINER_INTERFACE,
                "--resolv-conf=" + dns.mode());
    }

    /**
     * Takes the job's /30 before its container exists: while the job holds one, cleanup knows
     * there may be rules and links to remove.
     */
    public Subnet reserve(Cidr pool) {
        return allocations.allocate(job, new AddressPool(pool));
    }

    /**
     * Starts loading the job's rules, which need only its names and subnet: they are in place
     * before its link exists, and nft (~20 ms) runs while the container boots. The caller
     * awaits the result before wiring the link or cleaning up.
     */
    public NetworkTools.Started startLoadingRules(List<Cidr> deny, Cidr pool) {
        Subnet subnet = reservedSubnet();
        tools.enableIpv4Forwarding();
        return tools.startNft(new JobRuleset(job, subnet, deny, pool).load(), "loading the nftables table " + job.table());
    }

    /**
     * Wires the running container whose init is LEADER, once its rules are loaded: both ends of
     * the veth side by side (a process each).
     */
    public void attach(long leader) {
        Subnet subnet = reservedSubnet();
        String link = job.hostInterface();
        NetworkTools.Started container = tools.startIpInNetworkOf(leader, "address add " + subnet.containerAddress() + "/"
                + Subnet.PREFIX_LENGTH + " dev " + CONTAINER_INTERFACE + "\n"
                + "link set dev " + CONTAINER_INTERFACE + " up\n"
                + "route add default via " + subnet.hostAddress() + "\n", "addressing " + CONTAINER_INTERFACE + " in the container");
        try {
            // no IPv6 link-local address on the host's end: the job has no business with the host over IPv6
            tools.ip("link set dev " + link + " addrgenmode none\n"
                    + "address add " + subnet.hostAddress() + "/" + Subnet.PREFIX_LENGTH + " dev " + link + "\n"
                    + "link set dev " + link + " up\n", "addressing the host side " + link);
        } catch (NetworkException e) {
            try {
                container.await();
            } catch (NetworkException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        container.await();
    }

    private Subnet reservedSubnet() {
        return allocations.find(job).orElseThrow(() -> new NetworkException("no address was reserved for " + job));
    }

    /**
     * Removes the job's table, its host link if the container's end did not take it away, and
     * its address; safe to repeat. The address goes last: while it is held, the rest may exist.
     */
    public boolean remove() {
        boolean held = allocations.find(job).isPresent();
        if (held && tools.hasNft()) {
            tools.nft(JobRuleset.remove(job), "deleting the nftables table " + job.table());
        }
        String link = job.hostInterface();
        boolean linked = tools.linkExists(link);
        if (linked) {
            tools.ip("link delete dev " + link + "\n", "deleting link " + link);
        }
        allocations.release(job);
        return held || linked;
    }

    /** For prepare: whether an earlier attempt left an address or a link. */
    public boolean anythingLeft() {
        return allocations.find(job).isPresent() || tools.linkExists(job.hostInterface());
    }

    /** Chooses the resolv.conf of private-network jobs from the host's. */
    public static ResolvConfChoice chooseResolvConf() {
        return ResolvConfChoice.choose(read(Path.of(ResolvConfChoice.HOST_FILE)).orElse(""),
                read(Path.of(ResolvConfChoice.UPLINK_FILE)));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NetworkException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
