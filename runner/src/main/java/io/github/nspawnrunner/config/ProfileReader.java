package io.github.nspawnrunner.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the {@link Profiles} from the [profiles.NAME] tables of the config file. A profile's
 * network, user_namespace and limits default to the runner's; its *_allowed maxima too, but never
 * below its own limits (a profile that raises memory_max lets its jobs ask for less, not more,
 * until it raises memory_max_allowed as well). Errors name the table and the key.
 */
final class ProfileReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern CHROOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DEVICE = Pattern.compile("/dev/[^:,\\s]+");

    private final Map<ConfigKey, Setting> runner;
    private final String file;
    private final long hostMemory;

    ProfileReader(Map<ConfigKey, Setting> runner, String file, long hostMemory) {
        this.runner = runner;
        this.file = file;
        this.hostMemory = hostMemory;
    }

    Profiles read(Map<String, Map<String, Object>> tables, ResourceLimits runnerLimits, ResourceLimits runnerAllowed) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        profiles.put(Profile.DEFAULT_NAME, new Profile(Profile.DEFAULT_NAME, "the runner's own settings", List.of(), false,
                List.of(), ConfigLoader.networkMode(runner.get(ConfigKey.NETWORK)),
                ConfigLoader.bool(runner.get(ConfigKey.USER_NAMESPACE)), runnerLimits, runnerAllowed, false, List.of()));
        for (Map.Entry<String, Map<String, Object>> table : tables.entrySet()) {
            String name = table.getKey();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("invalid profile name \"" + name + "\" in " + file
                        + ": expected 1-32 lower-case letters, digits, '-' and '_', such as [profiles.kvm]");
            }
            profiles.put(name, profile(name, table.getValue(), runnerAllowed));
        }
        Setting defaultName = runner.get(ConfigKey.DEFAULT_PROFILE);
        if (!profiles.containsKey(defaultName.text())) {
            throw defaultName.invalid();
        }
        Setting selectable = runner.get(ConfigKey.PROFILES_ALLOWED);
        for (String item : selectable.items()) {
            if (!profiles.containsKey(item)) {
                throw selectable.invalid(item);
            }
        }
        return new Profiles(profiles, defaultName.text(), selectable.items());
    }

    private Profile profile(String name, Map<String, Object> table, ResourceLimits runnerAllowed) {
        String origin = "[profiles." + name + "] of " + file;
        Map<ConfigKey, Setting> settings = new EnumMap<>(runner);
        Map<ProfileKey, Object> own = new EnumMap<>(ProfileKey.class);
        for (Map.Entry<String, Object> entry : table.entrySet()) {
            ProfileKey key = ProfileKey.of(entry.getKey());
            if (key != null) {
                own.put(key, entry.getValue());
                continue;
            }
            ConfigKey setting = configKey(entry.getKey(), origin);
            settings.put(setting, new Setting(setting, ConfigFileReader.typed(setting, entry.getValue(), origin), origin));
        }
        ResourceLimits limits = ConfigLoader.limits(settings, false, hostMemory);
        ResourceLimits allowed = ConfigLoader.limits(settings, true, hostMemory);
        for (ResourceLimit limit : ResourceLimit.values()) {
            Setting most = settings.get(ConfigKey.valueOf(limit.name() + "_ALLOWED"));
            if (!most.origin().equals(origin)) {
                allowed = allowed.with(limit, Math.max(runnerAllowed.get(limit), limits.get(limit)));
            } else if (allowed.get(limit) < limits.get(limit)) {
                throw Setting.invalid(most.key(), Setting.shown(most.value()), origin,
                        "at least " + limit.key() + " (" + limit.format(limits.get(limit)) + ")");
            }
        }
        List<DeviceGrant> devices = new ArrayList<>();
        for (String pattern : strings(own, ProfileKey.DEVICES, origin)) {
            devices.add(new DeviceGrant(device(pattern, ProfileKey.DEVICES, origin), false));
        }
        for (String pattern : strings(own, ProfileKey.SHARED_DEVICES, origin)) {
            devices.add(new DeviceGrant(device(pattern, ProfileKey.SHARED_DEVICES, origin), true));
        }
        List<HostDir> hostDirs = new ArrayList<>();
        for (String entry : strings(own, ProfileKey.HOST_DIRS, origin)) {
            hostDirs.add(hostDir(entry, origin));
        }
        List<String> chroots = strings(own, ProfileKey.CHROOTS, origin);
        for (String chroot : chroots) {
            if (!CHROOT.matcher(chroot).matches()) {
                throw invalid(ProfileKey.CHROOTS, "\"" + chroot + "\"", origin);
            }
        }
        return new Profile(name, text(own, ProfileKey.DESCRIPTION, origin), devices, skipMissing(own, origin), hostDirs,
                ConfigLoader.networkMode(settings.get(ConfigKey.NETWORK)), ConfigLoader.bool(settings.get(ConfigKey.USER_NAMESPACE)),
                limits, allowed, flag(own, ProfileKey.CONTAINER_ENGINES, origin), chroots);
    }

    private static ConfigKey configKey(String name, String origin) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.fileKey().equals(name) && key.profileMaySet()) {
                return key;
            }
        }
        List<String> known = new ArrayList<>();
        for (ProfileKey key : ProfileKey.values()) {
            known.add(key.fileKey());
        }
        for (ConfigKey key : ConfigKey.values()) {
            if (key.profileMaySet()) {
                known.add(key.fileKey());
            }
        }
        throw new ConfigException("unknown key \"" + name + "\" in " + origin + ": a profile's keys are " + String.join(", ", known));
    }

    private static String device(String pattern, ProfileKey key, String origin) {
        if (!DEVICE.matcher(pattern).matches() || pattern.contains("/../") || pattern.endsWith("/..")) {
            throw invalid(key, "\"" + pattern + "\"", origin);
        }
        return pattern;
    }

    private static HostDir hostDir(String entry, String origin) {
        String[] parts = entry.split(":", -1);
        boolean mode = parts.length == 3 && (parts[2].equals("ro") || parts[2].equals("rw"));
        if ((parts.length != 2 && !mode) || entry.contains(",")) {
            throw invalid(ProfileKey.HOST_DIRS, "\"" + entry + "\"", origin);
        }
        Path source = Path.of(parts[0]).normalize();
        Path target = Path.of(parts[1]).normalize();
        if (!parts[0].startsWith("/") || !parts[1].startsWith("/") || target.getNameCount() == 0) {
            throw invalid(ProfileKey.HOST_DIRS, "\"" + entry + "\"", origin);
        }
        return new HostDir(source, target, !(mode && parts[2].equals("rw")));
    }

    private static boolean skipMissing(Map<ProfileKey, Object> own, String origin) {
        String value = text(own, ProfileKey.MISSING_DEVICES, origin);
        return switch (value.isEmpty() ? "fail" : value) {
            case "fail" -> false;
            case "skip" -> true;
            default -> throw invalid(ProfileKey.MISSING_DEVICES, "\"" + value + "\"", origin);
        };
    }

    private static List<String> strings(Map<ProfileKey, Object> own, ProfileKey key, String origin) {
        Object value = own.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (!ConfigFileReader.strings(value)) {
            throw invalid(key, Setting.shown(value), origin);
        }
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) value) {
            items.add(item.toString());
        }
        return items;
    }

    private static String text(Map<ProfileKey, Object> own, ProfileKey key, String origin) {
        Object value = own.getOrDefault(key, "");
        if (!(value instanceof String text)) {
            throw invalid(key, Setting.shown(value), origin);
        }
        return text;
    }

    private static boolean flag(Map<ProfileKey, Object> own, ProfileKey key, String origin) {
        Object value = own.getOrDefault(key, Boolean.FALSE);
        if (!(value instanceof Boolean flag)) {
            throw invalid(key, Setting.shown(value), origin);
        }
        return flag;
    }

    private static ConfigException invalid(ProfileKey key, String shown, String origin) {
        return new ConfigException("invalid " + key.fileKey() + " " + shown + " in " + origin + ": expected " + key.expected());
    }
}
