package io.github.nspawnrunner.network;

/**
 * A job's /30: the host side of its veth gets the first usable address, the container the second,
 * with its default route via the host's.
 */
public record Subnet(long network) {
    public static final int PREFIX_LENGTH = 30;

    public Subnet {
        if (network < 0 || network > 0xffffffffL || (network & 3) != 0) {
            throw new IllegalArgumentException("not the start of an IPv4 /30: " + network);
        }
    }

    public String hostAddress() {
        return dotted(network + 1);
    }

    public String containerAddress() {
        return dotted(network + 2);
    }

    @Override
    public String toString() {
        return dotted(network) + "/" + PREFIX_LENGTH;
    }

    static String dotted(long address) {
        return (address >> 24 & 0xff) + "." + (address >> 16 & 0xff) + "." + (address >> 8 & 0xff) + "." + (address & 0xff);
    }
}
