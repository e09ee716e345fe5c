package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.config.NetworkMode;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.network.AddressAllocations;
import io.github.nspawnrunner.network.JobName;
import io.github.nspawnrunner.network.NetworkException;
import io.github.nspawnrunner.network.NetworkTools;
import io.github.nspawnrunner.network.PrivateNetwork;
import io.github.nspawnrunner.network.ResolvConfChoice;
import io.github.nspawnrunner.systemd.MachineControl;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A job's network as the admin's `network` setting asks: "private" (its own namespace with
 * outbound access, see {@link PrivateNetwork}), "none" (loopback only) or "host" (the host's own
 * namespace: everything the host reaches, its loopback services included). Errors name the job.
 */
final class JobNetwork {
    private final JobContext context;
    private final PrivateNetwork network;
    private final Log log;
    /** The job's rules while nft loads them. */
    private NetworkTools.Started rules;

    JobNetwork(JobContext context, Log log) {
        this.context = context;
        this.network = new PrivateNetwork(new JobName(context.machine().value()),
                new AddressAllocations(AddressAllocations.DEFAULT_DIR), NetworkTools.system());
        this.log = log;
    }

    private NetworkMode mode() {
        return context.config().network();
    }

    /**
     * Reserves what the job's network needs before its container starts, and starts loading
     * its rules; {@link #awaitRules()} must follow, whatever happens in between.
     */
    void reserve() {
        if (mode() == NetworkMode.PRIVATE) {
            RunnerConfig config = context.config();
            guarded(() -> network.reserve(config.networkPool()));
            rules = guarded(() -> network.startLoadingRules(config.networkDeny(), config.networkPool()));
        }
    }

    /** Waits until the rules that {@link #reserve()} started loading are in place. */
    void awaitRules() {
        if (rules != null) {
            NetworkTools.Started loading = rules;
            rules = null;
            guarded(() -> {
                loading.await();
                return null;
            });
        }
    }

    /** The nspawn options of the job's network. */
    List<String> nspawnOptions() {
        return switch (mode()) {
            case HOST -> List.of();
            case NONE -> List.of("--private-network");
            case PRIVATE -> {
                ResolvConfChoice dns = guarded(PrivateNetwork::chooseResolvConf);
                dns.warning().ifPresent(warning -> log.info(context.describe() + ": " + warning));
                yield new ArrayList<>(network.nspawnOptions(dns));
            }
        };
    }

    /** Wires the job's running container to its network, once its rules are in place. */
    void attach(MachineControl machines) {
        awaitRules();
        if (mode() == NetworkMode.PRIVATE) {
            long leader = machines.leaderPid(context.machine().value());
            guarded(() -> {
                network.attach(leader);
                return null;
            });
        }
    }

    /** Removes whatever the job's network left on the host, whatever the mode; returns whether there was any. */
    boolean remove() {
        return guarded(network::remove);
    }

    boolean anythingLeft() {
        return guarded(network::anythingLeft);
    }

    private <T> T guarded(Supplier<T> step) {
        try {
            return step.get();
        } catch (NetworkException | IllegalArgumentException e) {
            throw ExecutorException.system("network of " + context.describe() + ": " + e.getMessage(), e);
        }
    }
}
