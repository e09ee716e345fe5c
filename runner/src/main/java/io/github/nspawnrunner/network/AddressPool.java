package io.github.nspawnrunner.network;

import io.github.nspawnrunner.config.Cidr;

/** The admin's network_pool cut into /30s, numbered from 0; each private-network job holds one. */
public record AddressPool(Cidr pool) {
    public AddressPool {
        if (!pool.isIpv4() || pool.prefixLength() > Subnet.PREFIX_LENGTH) {
            throw new IllegalArgumentException("network_pool " + pool + " must be an IPv4 network of /"
                    + Subnet.PREFIX_LENGTH + " or larger, like 10.213.0.0/16");
        }
    }

    public int size() {
        return 1 << (Subnet.PREFIX_LENGTH - pool.prefixLength());
    }

    public Subnet subnet(int index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("no /30 number " + index + " in " + pool);
        }
        return new Subnet(pool.firstAddress() + 4L * index);
    }

    /**
     * Where a job starts looking for a free /30: spread by its name, so concurrent prepares
     * rarely try the same one first. String.hashCode is specified, so every JVM agrees.
     */
    public int firstProbe(JobName job) {
        return Math.floorMod(job.value().hashCode(), size());
    }
}
