package io.github.nspawnrunner.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The keys of the config file; each may also be set as the environment variable NSPAWN_RUNNER_<KEY>. */
public enum ConfigKey {
    CHROOTS_DIR("/var/lib/nspawn-runner/chroots"),
    STATE_DIR("/var/lib/nspawn-runner/state"),
    DEFAULT_CHROOT("bookworm"),
    CHROOT_VARIABLES("CI_JOB_IMAGE"),
    MACHINE_PREFIX("nsr"),
    PREPARE_TIMEOUT_SECONDS("60"),
    STOP_GRACE_SECONDS("10"),
    GITLAB_RUNNER_BINARY("/usr/bin/gitlab-runner"),
    LEAN_BOOT("true"),
    NETWORK("private"),
    NETWORK_DENY("169.254.0.0/16"),
    NETWORK_POOL("10.213.0.0/16"),
    USER_NAMESPACE("true"),
    MEMORY_MAX(ResourceLimit.MEMORY_MAX.defaultValue()),
    CPU_QUOTA(ResourceLimit.CPU_QUOTA.defaultValue()),
    TASKS_MAX(ResourceLimit.TASKS_MAX.defaultValue()),
    IO_WEIGHT(ResourceLimit.IO_WEIGHT.defaultValue()),
    MEMORY_MAX_ALLOWED(ResourceLimit.MEMORY_MAX.defaultValue()),
    CPU_QUOTA_ALLOWED(ResourceLimit.CPU_QUOTA.defaultValue()),
    TASKS_MAX_ALLOWED(ResourceLimit.TASKS_MAX.defaultValue()),
    IO_WEIGHT_ALLOWED(ResourceLimit.IO_WEIGHT.defaultValue()),
    DEFAULT_PROFILE(Profile.DEFAULT_NAME),
    PROFILES_ALLOWED(""),
    DEVICE_WAIT_SECONDS("600"),
    IMAGE_REGISTRIES(""),
    IMAGES_ALLOWED("**"),
    IMAGE_CACHE_MAX("20G"),
    IMAGE_MAX_SIZE("10G"),
    PULL_POLICY("always");

    private final String defaultValue;

    ConfigKey(String defaultValue) {
        this.defaultValue = defaultValue;
    }

    public String fileKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String environmentVariable() {
        return "NSPAWN_RUNNER_" + name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** What a value of this key must be, for error messages: the same words for the file and the environment. */
    String expected() {
        return switch (this) {
            case CHROOTS_DIR, STATE_DIR, GITLAB_RUNNER_BINARY -> "an absolute path without ':' or ',' such as \"" + defaultValue + "\"";
            case DEFAULT_CHROOT -> "the name of a chroot such as \"bookworm\"";
            case CHROOT_VARIABLES -> "names of job variables such as [\"CI_JOB_IMAGE\"]";
            case MACHINE_PREFIX -> "1-16 lower-case letters and digits, starting with a letter, such as \"nsr\"";
            case PREPARE_TIMEOUT_SECONDS, STOP_GRACE_SECONDS, DEVICE_WAIT_SECONDS -> "a whole number of seconds from 1 to 86400";
            case DEFAULT_PROFILE -> "the name of a profile: \"default\" or one of [profiles.NAME]";
            case PROFILES_ALLOWED -> "names of profiles such as [\"kvm\", \"board\"]: each a [profiles.NAME] table or \"default\"";
            case LEAN_BOOT, USER_NAMESPACE -> "true or false";
            case NETWORK -> "\"private\", \"host\" or \"none\"";
            case NETWORK_DENY -> "networks such as [\"169.254.0.0/16\", \"fd00::/8\"]: an address, '/' and a prefix length"
                    + " of at most 32 (IPv4) or 128 (IPv6)";
            case NETWORK_POOL -> "an IPv4 network such as \"10.213.0.0/16\"";
            case MEMORY_MAX, CPU_QUOTA, TASKS_MAX, IO_WEIGHT, MEMORY_MAX_ALLOWED, CPU_QUOTA_ALLOWED, TASKS_MAX_ALLOWED,
                    IO_WEIGHT_ALLOWED -> limit().expected();
            case IMAGE_REGISTRIES -> "registry hosts such as [\"docker.io\", \"registry.example.com:5050\"]: host[:port], lower-case";
            case IMAGES_ALLOWED -> "patterns such as [\"docker.io/library/*\", \"registry.example.com/team/**\"]: '*' and '?'"
                    + " within a path component, '**' across them, [a-z], {a,b}";
            case IMAGE_CACHE_MAX, IMAGE_MAX_SIZE -> "a size such as \"20G\" or \"500M\" (K, M, G, T), at least 1M";
            case PULL_POLICY -> "\"always\", \"if-not-present\" or \"never\"";
        };
    }

    /** The TOML type of this key's value, for the error about a value of another type. */
    String tomlType() {
        return switch (this) {
            case PREPARE_TIMEOUT_SECONDS, STOP_GRACE_SECONDS, DEVICE_WAIT_SECONDS -> "an integer";
            case LEAN_BOOT, USER_NAMESPACE -> "a boolean, unquoted";
            case CHROOT_VARIABLES, NETWORK_DENY, PROFILES_ALLOWED, IMAGE_REGISTRIES, IMAGES_ALLOWED -> "an array of strings";
            case CPU_QUOTA, CPU_QUOTA_ALLOWED -> "a string";
            case MEMORY_MAX, TASKS_MAX, IO_WEIGHT, MEMORY_MAX_ALLOWED, TASKS_MAX_ALLOWED, IO_WEIGHT_ALLOWED -> "a string or an integer";
            case CHROOTS_DIR, STATE_DIR, DEFAULT_CHROOT, MACHINE_PREFIX, GITLAB_RUNNER_BINARY, NETWORK, NETWORK_POOL,
                    DEFAULT_PROFILE, IMAGE_CACHE_MAX, IMAGE_MAX_SIZE, PULL_POLICY -> "a string, in double quotes";
        };
    }

    /** The limit this key sets, or sets the most a job may ask for; null for the other keys. */
    ResourceLimit limit() {
        return switch (this) {
            case MEMORY_MAX, MEMORY_MAX_ALLOWED -> ResourceLimit.MEMORY_MAX;
            case CPU_QUOTA, CPU_QUOTA_ALLOWED -> ResourceLimit.CPU_QUOTA;
            case TASKS_MAX, TASKS_MAX_ALLOWED -> ResourceLimit.TASKS_MAX;
            case IO_WEIGHT, IO_WEIGHT_ALLOWED -> ResourceLimit.IO_WEIGHT;
            default -> null;
        };
    }

    /** The keys a [profiles.NAME] table may set too, for the jobs on that profile. */
    boolean profileMaySet() {
        return this == NETWORK || this == USER_NAMESPACE || limit() != null;
    }

    static String knownKeys() {
        return Arrays.stream(values()).map(ConfigKey::fileKey).collect(Collectors.joining(", ")) + ", " + PROFILES_TABLE
                + ", " + CHROOT_FOLLOW_TABLE;
    }

    /** The table of profiles, [profiles.NAME]: a file key that is not a setting of its own. */
    static final String PROFILES_TABLE = "profiles";

    /** The chroots that follow an image tag, [chroot_follow] NAME = "REFERENCE" (`chroot follow`). */
    static final String CHROOT_FOLLOW_TABLE = "chroot_follow";
}
