package io.github.nspawnrunner.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressAllocationsTest {
    @TempDir
    Path state;

    private AddressAllocations allocations() {
        return new AddressAllocations(state.resolve("network"));
    }

    @Test
    void aJobKeepsItsSubnetUntilReleased() throws Exception {
        AddressPool pool = new AddressPool(Cidr.parse("10.213.0.0/16"));
        JobName job = new JobName("nsr-7");
        Subnet subnet = allocations().allocate(job, pool);
        assertEquals(pool.subnet(pool.firstProbe(job)), subnet);
        assertEquals("nsr-7\n", Files.readString(state.resolve("network").resolve(Subnet.dotted(subnet.network()))));
        assertEquals(Optional.of(subnet), allocations().find(job));
        assertEquals(subnet, allocations().allocate(job, pool), "a second prepare of the same job reuses what it holds");
        assertTrue(allocations().release(job));
        assertEquals(Optional.empty(), allocations().find(job));
        assertFalse(allocations().release(job));
        try (var files = Files.list(state.resolve("network"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void releaseAndFindWorkBeforeAnyJobEverGotAnAddress() {
        assertFalse(allocations().release(new JobName("nsr-1")));
        assertEquals(Optional.empty(), allocations().find(new JobName("nsr-1")));
    }

    @Test
    void concurrentJobsGetDistinctSubnetsUntilThePoolIsFull() throws Exception {
        AddressPool pool = new AddressPool(Cidr.parse("10.1.0.0/26")); // 16 subnets
        int jobs = 16;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Subnet>> results = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                JobName job = new JobName("nsr-" + i);
                // each its own instance, as separate JVMs would have
                results.add(threads.submit(() -> {
                    start.await();
                    return allocations().allocate(job, pool);
                }));
            }
            start.countDown();
            Set<Subnet> subnets = new HashSet<>();
            for (Future<Subnet> result : results) {
                subnets.add(result.get());
            }
            assertEquals(jobs, subnets.size());
        } finally {
            threads.shutdownNow();
        }
        NetworkException full = assertThrows(NetworkException.class, () -> allocations().allocate(new JobName("nsr-99"), pool));
        assertTrue(full.getMessage().startsWith("all 16 /30 subnets of network_pool 10.1.0.0/26 are in use"), full.getMessage());
        Subnet freed = allocations().find(new JobName("nsr-3")).orElseThrow();
        assertTrue(allocations().release(new JobName("nsr-3")));
        assertEquals(freed, allocations().allocate(new JobName("nsr-99"), pool), "the one freed subnet goes to the next job");
    }
}
