package io.github.nspawnrunner.config;

import java.util.List;
import java.util.Map;

/**
 * The config file as TOML gives it, one component per {@link ConfigKey} (its snake_case name), null
 * when the file leaves the key out. {@link ConfigFileReader} checks each value's TOML type;
 * {@link ConfigLoader} checks the values themselves, the same way for the file and the environment.
 * <p>
 * A list key takes an array of strings, or one string for a one-element list, which is what
 * quoting the value of an old {@code nspawn-runner.conf} line gives. A limit takes a string
 * ("8G", "80%", "infinity") or, but for cpu_quota, a whole number (bytes of memory_max, tasks_max,
 * io_weight), hence {@code Object}: a String or a Long.
 * <p>
 * PROFILES holds each [profiles.NAME] table as TOML gave it, checked by {@link ProfileReader};
 * CHROOTFOLLOW the [chroot_follow] table, chroot name to image reference.
 */
record ConfigFile(
        String chrootsDir,
        String stateDir,
        String defaultChroot,
        List<String> chrootVariables,
        String machinePrefix,
        Long prepareTimeoutSeconds,
        Long stopGraceSeconds,
        String gitlabRunnerBinary,
        Boolean leanBoot,
        String network,
        List<String> networkDeny,
        String networkPool,
        Boolean userNamespace,
        Object memoryMax,
        Object cpuQuota,
        Object tasksMax,
        Object ioWeight,
        Object memoryMaxAllowed,
        Object cpuQuotaAllowed,
        Object tasksMaxAllowed,
        Object ioWeightAllowed,
        String defaultProfile,
        List<String> profilesAllowed,
        Long deviceWaitSeconds,
        List<String> imageRegistries,
        List<String> imagesAllowed,
        String imageCacheMax,
        String imageMaxSize,
        String pullPolicy,
        Map<String, Map<String, Object>> profiles,
        Map<String, String> chrootFollow) {

    /** No file: every key at its default. */
    static final ConfigFile NONE = of(Map.of(), Map.of(), Map.of());

    /** VALUES as {@link ConfigFileReader} checked them: each of the type of its key's component. */
    @SuppressWarnings("unchecked")
    static ConfigFile of(Map<ConfigKey, Object> values, Map<String, Map<String, Object>> profiles, Map<String, String> chrootFollow) {
        return new ConfigFile(
                (String) values.get(ConfigKey.CHROOTS_DIR),
                (String) values.get(ConfigKey.STATE_DIR),
                (String) values.get(ConfigKey.DEFAULT_CHROOT),
                (List<String>) values.get(ConfigKey.CHROOT_VARIABLES),
                (String) values.get(ConfigKey.MACHINE_PREFIX),
                (Long) values.get(ConfigKey.PREPARE_TIMEOUT_SECONDS),
                (Long) values.get(ConfigKey.STOP_GRACE_SECONDS),
                (String) values.get(ConfigKey.GITLAB_RUNNER_BINARY),
                (Boolean) values.get(ConfigKey.LEAN_BOOT),
                (String) values.get(ConfigKey.NETWORK),
                (List<String>) values.get(ConfigKey.NETWORK_DENY),
                (String) values.get(ConfigKey.NETWORK_POOL),
                (Boolean) values.get(ConfigKey.USER_NAMESPACE),
                values.get(ConfigKey.MEMORY_MAX),
                values.get(ConfigKey.CPU_QUOTA),
                values.get(ConfigKey.TASKS_MAX),
                values.get(ConfigKey.IO_WEIGHT),
                values.get(ConfigKey.MEMORY_MAX_ALLOWED),
                values.get(ConfigKey.CPU_QUOTA_ALLOWED),
                values.get(ConfigKey.TASKS_MAX_ALLOWED),
                values.get(ConfigKey.IO_WEIGHT_ALLOWED),
                (String) values.get(ConfigKey.DEFAULT_PROFILE),
                (List<String>) values.get(ConfigKey.PROFILES_ALLOWED),
                (Long) values.get(ConfigKey.DEVICE_WAIT_SECONDS),
                (List<String>) values.get(ConfigKey.IMAGE_REGISTRIES),
                (List<String>) values.get(ConfigKey.IMAGES_ALLOWED),
                (String) values.get(ConfigKey.IMAGE_CACHE_MAX),
                (String) values.get(ConfigKey.IMAGE_MAX_SIZE),
                (String) values.get(ConfigKey.PULL_POLICY),
                profiles,
                chrootFollow);
    }

    /** KEY's value in the file (String, Long, Boolean, or a List of Strings), or null. */
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
            case DEFAULT_PROFILE -> defaultProfile;
            case PROFILES_ALLOWED -> profilesAllowed;
            case DEVICE_WAIT_SECONDS -> deviceWaitSeconds;
            case IMAGE_REGISTRIES -> imageRegistries;
            case IMAGES_ALLOWED -> imagesAllowed;
            case IMAGE_CACHE_MAX -> imageCacheMax;
            case IMAGE_MAX_SIZE -> imageMaxSize;
            case PULL_POLICY -> pullPolicy;
        };
    }
}
