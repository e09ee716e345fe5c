package io.github.nspawnrunner.network;

import io.github.nspawnrunner.config.Cidr;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The nftables rules of one private-network job, as one table of its own named after the job:
 * nothing in a shared table or chain, so loading and deleting it never touches the host's rules
 * or another job's. Input for `nft -f -`: the leading "table" and "delete table" make a reload
 * after a half-done attempt replace the old table atomically.
 *
 * <p>From the job's link: nothing reaches the host itself (the input hook sees every packet
 * for the host's own addresses, its loopback services and IPv6 link-local included, since the
 * family is inet); nothing but IPv4 from the job's own address is forwarded; network_deny and
 * the whole pool (other jobs) are refused; the rest leaves masqueraded behind the host's address.
 * Towards the job's link only replies pass. Refusals are rejects, not drops, so a connection
 * fails at once instead of hanging until its timeout (and when two jobs' tables both refuse a
 * packet, whichever runs first answers the same way).
 */
public record JobRuleset(JobName job, Subnet subnet, List<Cidr> deny, Cidr pool) {
    private static final String REFUSE = "reject with icmpx admin-prohibited";

    public JobRuleset {
        deny = List.copyOf(deny);
    }

    public String load() {
        String link = quoted(job.hostInterface());
        String container = subnet.containerAddress();
        String denied4 = Stream.concat(deny.stream().filter(Cidr::isIpv4), Stream.of(pool))
                .map(Cidr::toString).distinct().collect(Collectors.joining(", "));
        return remove() + String.join("\n",
                "table inet " + job.table() + " {",
                "  chain input {",
                "    type filter hook input priority filter; policy accept;",
                "    iifname " + link + " " + REFUSE,
                "  }",
                "  chain forward {",
                "    type filter hook forward priority filter; policy accept;",
                "    iifname " + link + " meta nfproto != ipv4 " + REFUSE,
                "    iifname " + link + " ip saddr != " + container + " drop",
                "    iifname " + link + " ip daddr { " + denied4 + " } " + REFUSE,
                "    oifname " + link + " ct state established,related accept",
                "    oifname " + link + " " + REFUSE,
                "  }",
                "  chain postrouting {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    oifname != " + link + " ip saddr " + container + " masquerade",
                "  }",
                "}",
                "");
    }

    /** Deletes the job's table; a no-op when there is none (the first line creates it empty). */
    public static String remove(JobName job) {
        return "table inet " + job.table() + "\ndelete table inet " + job.table() + "\n";
    }

    private String remove() {
        return remove(job);
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
