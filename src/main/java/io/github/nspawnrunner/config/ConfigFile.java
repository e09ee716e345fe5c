package io.github.nspawnrunner.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * The config file as TOML gives it, one component per {@link ConfigKey} (its snake_case name), null
 * when the file leaves the key out. Jackson checks each value's TOML type; {@link ConfigLoader}
 * checks the values themselves, the same way for the file and for the environment.
 * <p>
 * A list key takes an array of strings, or one string for a one-element list, which is what
 * quoting the value of an old {@code nspawn-runner.conf} line gives. A limit takes a string
 * ("8G", "80%", "infinity") or a whole number (bytes of memory_max, tasks_max, io_weight), hence
 * {@code Object}: {@link #value} passes it on and the loader refuses any other type.
 */
record ConfigFile(
        String chrootsDir,
        String stateDir,
        String defaultChroot,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> chrootVariables,
        String machinePrefix,
        Long prepareTimeoutSeconds,
        Long stopGraceSeconds,
        String gitlabRunnerBinary,
        Boolean leanBoot,
        String network,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> networkDeny,
        String networkPool,
        Boolean userNamespace,
        Object memoryMax,
        Object cpuQuota,
        Object tasksMax,
        Object ioWeight,
        Object memoryMaxAllowed,
        Object cpuQuotaAllowed,
        Object tasksMaxAllowed,
        Object ioWeightAllowed) {

    /** No file: every key at its default. */
    static final ConfigFile NONE = new ConfigFile(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null);

    /** KEY's value in the file (String, Long, Boolean, a List of Strings, or a limit's String or Number), or null. */
    Object value(ConfigKey key) {
        return switch (key) {
            case CHROOTS_DIR -> chrootsDir;
            case STATE_DIR -> stateDir;
            case DEFAULT_CHROOT -> defaultChroot;
            case CHROOT_VARIABLES -> chrootVariables;
            case MACHINE_PREFIX -> machinePrefix;
            case PREPARE_TIMEOUT_SECONDS -> prepareTimeoutSeconds;
            case STOP_GRACE_SECONDS -> stopGraceSeconds;
            case GITLAB_RUNNER_BINARY -> gitlabRunnerBinary;
            case LEAN_BOOT -> leanBoot;
            case NETWORK -> network;
            case NETWORK_DENY -> networkDeny;
            case NETWORK_POOL -> networkPool;
            case USER_NAMESPACE -> userNamespace;
            case MEMORY_MAX -> memoryMax;
            case CPU_QUOTA -> cpuQuota;
            case TASKS_MAX -> tasksMax;
            case IO_WEIGHT -> ioWeight;
            case MEMORY_MAX_ALLOWED -> memoryMaxAllowed;
            case CPU_QUOTA_ALLOWED -> cpuQuotaAllowed;
            case TASKS_MAX_ALLOWED -> tasksMaxAllowed;
            case IO_WEIGHT_ALLOWED -> ioWeightAllowed;
        };
    }
}
