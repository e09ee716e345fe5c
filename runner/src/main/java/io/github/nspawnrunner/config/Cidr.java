package io.github.nspawnrunner.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network such as 169.254.0.0/16, in canonical form. Parsed strictly: its text
 * goes into nftables rules, so nothing but digits, hex, dots, colons and one slash gets through.
 */
public record Cidr(InetAddress network, int prefixLength) {
    private static final Pattern SHAPE = Pattern.compile("[0-9A-Fa-f.:]{2,39}/[0-9]{1,3}");
    /**
     * Four decimal parts: InetAddress also takes inet_aton's short forms, where "10/8" is the
     * address 0.0.0.10 and would deny 0.0.0.0/8 instead of the 10.0.0.0/8 an admin meant.
     */
    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3}\\.){3}[0-9]{1,3}");

    /** @throws IllegalArgumentException naming what is wrong with TEXT */
    public static Cidr parse(String text) {
        String value = text.trim();
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a network like 10.0.0.0/8 or fd00::/8");
        }
        int slash = value.indexOf('/');
        if (value.indexOf(':') < 0 && !IPV4.matcher(value.substring(0, slash)).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a network like 10.0.0.0/8 or fd00::/8");
        }
        InetAddress address;
        try {
            // only literal addresses reach here (SHAPE): no name lookup can happen
            address = InetAddress.getByName(value.substring(0, slash));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + value + "' is not a network like 10.0.0.0/8 or fd00::/8");
        }
        int prefix = Integer.parseInt(value.substring(slash + 1));
        int bits = address.getAddress().length * 8;
        if (prefix > bits) {
            throw new IllegalArgumentException("'" + value + "': the prefix length must be at most " + bits);
        }
        return new Cidr(masked(address, prefix), prefix);
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** The network's first address as a number (the low 32 bits for IPv4), to count subnets of a pool. */
    public long firstAddress() {
        long value = 0;
        for (byte b : network.getAddress()) {
            value = value << 8 | (b & 0xff);
        }
        return value;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
