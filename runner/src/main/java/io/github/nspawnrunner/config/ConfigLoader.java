package io.github.nspawnrunner.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads {@link RunnerConfig}: built-in defaults, overridden by the TOML config file, overridden by
 * NSPAWN_RUNNER_* environment variables. Every value is checked the same way whatever its origin,
 * and a bad one is a {@link ConfigException} naming that origin.
 * <p>
 * Job variables reach the executor only as CUSTOM_ENV_*, so a job cannot set NSPAWN_RUNNER_*.
 * Plain loops, no lambdas: this runs in every config, prepare and cleanup, and each lambda's first
 * use costs start-up time in a fresh JVM.
 */
public final class ConfigLoader {
    /** Where the file was before it became TOML: found there, it is an error rather than ignored. */
    static final Path LEGACY_FILE = Path.of("/etc/nspawn-runner/nspawn-runner.conf");

    private static final Pattern MACHINE_PREFIX = Pattern.compile("[a-z][a-z0-9]{0,15}");
    /** As chroot/ChrootName has it. */
    private static final Pattern CHROOT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** host[:port] as image references name registries (lower-case: a host name with capitals would be a repository). */
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*(?::[0-9]{1,5})?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([KMGTkmgt])");

    private final Map<String, String> environment;
    private final Path defaultFile;
    private final Path legacyFile;

    public ConfigLoader(Map<String, String> environment) {
        this(environment, RunnerConfig.DEFAULT_FILE, LEGACY_FILE);
    }

    ConfigLoader(Map<String, String> environment, Path defaultFile, Path legacyFile) {
        this.environment = environment;
        this.defaultFile = defaultFile;
        this.legacyFile = legacyFile;
    }

    /** The file named by --config, else NSPAWN_RUNNER_CONFIG, else the default (optional) file. */
    public RunnerConfig load(Path explicitFile) {
        Path file = explicitFile;
        if (file == null && environment.get("NSPAWN_RUNNER_CONFIG") != null) {
            file = Path.of(environment.get("NSPAWN_RUNNER_CONFIG"));
        }
        if (file != null) {
            return load(read(file), file);
        }
        if (Files.exists(defaultFile)) {
            return load(read(defaultFile), defaultFile);
        }
        if (Files.exists(legacyFile)) {
            throw new ConfigException(legacyFile + " is no longer read: rename it to " + defaultFile + " and make it TOML"
                    + " (the same keys; quote text values, e.g. state_dir = \"/srv/state\"; numbers and true/false stay"
                    + " bare; lists as [\"a\", \"b\"]): see nspawn-runner's etc/nspawn-runner.toml");
        }
        return load(ConfigFile.NONE, defaultFile);
    }

    private RunnerConfig load(ConfigFile values, Path file) {
        return fromSettings(settings(values, file), values.profiles(), file, chrootFollow(values.chrootFollow(), file));
    }

    private static ConfigFile read(Path file) {
        String toml;
        try {
            toml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read config file " + file + ": it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return ConfigFileReader.read(toml, file);
    }

    /** Each key's value: its environment variable, else the file's, else the default. */
    private Map<ConfigKey, Setting> settings(ConfigFile values, Path file) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String fromEnvironment = environment.get(key.environmentVariable());
            Object fromFile = values.value(key);
            if (fromEnvironment != null) {
                settings.put(key, new Setting(key, fromEnvironment.trim(), "environment variable " + key.environmentVariable()));
            } else if (fromFile != null) {
                settings.put(key, new Setting(key, fromFile, file.toString()));
            } else {
                settings.put(key, new Setting(key, key.defaultValue(), Setting.DEFAULT));
            }
        }
        return settings;
    }

    /** [chroot_follow]'s names are chroot names (the references are checked when followed: `chroot follow`). */
    private static Map<String, String> chrootFollow(Map<String, String> follow, Path file) {
        for (String name : follow.keySet()) {
            if (!CHROOT_NAME.matcher(name).matches() || name.contains("..")) {
                throw new ConfigException("invalid chroot name \"" + name + "\" in [chroot_follow] of " + file
                        + ": expected a plain name like bookworm ([A-Za-z0-9][A-Za-z0-9._-]*)");
            }
        }
        return follow;
    }

    private static RunnerConfig fromSettings(Map<ConfigKey, Setting> settings, Map<String, Map<String, Object>> profiles,
            Path file, Map<String, String> chrootFollow) {
        Setting prefix = settings.get(ConfigKey.MACHINE_PREFIX);
        if (!MACHINE_PREFIX.matcher(prefix.text()).matches()) {
            throw prefix.invalid();
        }
        Setting variables = settings.get(ConfigKey.CHROOT_VARIABLES);
        for (String variable : variables.items()) {
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                throw variables.invalid(variable);
            }
        }
        long hostMemory = HostMemory.total();
        ResourceLimits limits = limits(settings, false, hostMemory);
        ResourceLimits allowed = allowedLimits(settings, limits, hostMemory);
        return new RunnerConfig(
                absolutePath(settings.get(ConfigKey.CHROOTS_DIR)),
                absolutePath(settings.get(ConfigKey.STATE_DIR)),
                settings.get(ConfigKey.DEFAULT_CHROOT).text(),
                variables.items(),
                prefix.text(),
                seconds(settings.get(ConfigKey.PREPARE_TIMEOUT_SECONDS)),
                seconds(settings.get(ConfigKey.STOP_GRACE_SECONDS)),
                absolutePath(settings.get(ConfigKey.GITLAB_RUNNER_BINARY)),
                bool(settings.get(ConfigKey.LEAN_BOOT)),
                networkMode(settings.get(ConfigKey.NETWORK)),
                cidrs(settings.get(ConfigKey.NETWORK_DENY)),
                networkPool(settings.get(ConfigKey.NETWORK_POOL)),
                bool(settings.get(ConfigKey.USER_NAMESPACE)),
                limits,
                allowed,
                new ProfileReader(settings, file.toString(), hostMemory).read(profiles, limits, allowed),
                seconds(settings.get(ConfigKey.DEVICE_WAIT_SECONDS)),
                images(settings),
                chrootFollow);
    }

    private static ImageSettings images(Map<ConfigKey, Setting> settings) {
        Setting registries = settings.get(ConfigKey.IMAGE_REGISTRIES);
        List<String> hosts = new ArrayList<>();
        for (String host : registries.items()) {
            if (!REGISTRY.matcher(host).matches()) {
                throw registries.invalid(host);
            }
            hosts.add(ImageSettings.normalizeRegistry(host));
        }
        Setting allowed = settings.get(ConfigKey.IMAGES_ALLOWED);
        List<ImagePattern> patterns = new ArrayList<>();
        for (String glob : allowed.items()) {
            try {
                patterns.add(ImagePattern.parse(glob));
            } catch (IllegalArgumentException e) {
                throw allowed.invalid(glob);
            }
        }
        Setting policy = settings.get(ConfigKey.PULL_POLICY);
        PullPolicy pullPolicy = null;
        for (PullPolicy candidate : PullPolicy.values()) {
            if (candidate.key().equals(policy.text())) {
                pullPolicy = candidate;
            }
        }
        if (pullPolicy == null) {
            throw policy.invalid();
        }
        return new ImageSettings(hosts, patterns, size(settings.get(ConfigKey.IMAGE_CACHE_MAX)),
                size(settings.get(ConfigKey.IMAGE_MAX_SIZE)), pullPolicy);
    }

    /** A size with a K, M, G or T suffix (powers of 1024), at least 1M. */
    private static long size(Setting setting) {
        var matcher = SIZE.matcher(setting.text());
        if (matcher.matches()) {
            int shift = switch (matcher.group(2).toUpperCase(java.util.Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 40;
            };
            long number = Long.parseLong(matcher.group(1));
            if (number <= (Long.MAX_VALUE >> shift) && (number << shift) >= (1L << 20)) {
                return number << shift;
            }
        }
        throw setting.invalid();
    }

    static NetworkMode networkMode(Setting setting) {
        for (NetworkMode mode : NetworkMode.values()) {
            if (mode.key().equals(setting.text())) {
                return mode;
            }
        }
        throw setting.invalid();
    }

    private static List<Cidr> cidrs(Setting setting) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String text : setting.items()) {
            try {
                cidrs.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw setting.invalid(text);
            }
        }
        return cidrs;
    }

    private static Cidr networkPool(Setting setting) {
        try {
            Cidr pool = Cidr.parse(setting.text());
            if (pool.isIpv4()) {
                return pool;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw setting.invalid();
    }

    /**
     * Each limit's *_allowed: as set, else the limit itself (a job may ask only for less until the
     * admin allows more). A maximum below the limit would make the limit unreachable: refused.
     */
    private static ResourceLimits allowedLimits(Map<ConfigKey, Setting> settings, ResourceLimits limits, long hostMemory) {
        ResourceLimits allowed = limits(settings, true, hostMemory);
        for (ResourceLimit limit : ResourceLimit.values()) {
            Setting most = settings.get(ConfigKey.valueOf(limit.name() + "_ALLOWED"));
            if (most.isDefault()) {
                allowed = allowed.with(limit, limits.get(limit));
            } else if (allowed.get(limit) < limits.get(limit)) {
                throw Setting.invalid(most.key(), Setting.shown(most.value()), most.origin(),
                        "at least " + limit.key() + " (" + limit.format(limits.get(limit)) + ")");
            }
        }
        return allowed;
    }

    static ResourceLimits limits(Map<ConfigKey, Setting> settings, boolean allowed, long hostMemory) {
        Map<ResourceLimit, Long> limits = new EnumMap<>(ResourceLimit.class);
        for (ResourceLimit limit : ResourceLimit.values()) {
            Setting setting = settings.get(ConfigKey.valueOf(allowed ? limit.name() + "_ALLOWED" : limit.name()));
            try {
                limits.put(limit, limit.parse(setting.text(), hostMemory));
            } catch (IllegalArgumentException e) {
                throw setting.invalid();
            }
        }
        return new ResourceLimits(limits);
    }

    private static Path absolutePath(Setting setting) {
        String value = setting.text();
        if (!value.startsWith("/") || value.contains(":") || value.contains(",")) {
            throw setting.invalid();
        }
        return Path.of(value).normalize();
    }

    private static Duration seconds(Setting setting) {
        try {
            long seconds = Long.parseLong(setting.text());
            if (seconds > 0 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw setting.invalid();
    }

    static boolean bool(Setting setting) {
        return switch (setting.text()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw setting.invalid();
        };
    }
}
