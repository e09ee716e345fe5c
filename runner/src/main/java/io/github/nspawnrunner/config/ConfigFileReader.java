package io.github.nspawnrunner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the TOML config file onto {@link ConfigFile}. Anything wrong with it is one
 * {@link ConfigException} naming the file and the line (syntax) or the key (unknown, wrong type).
 * <p>
 * Jackson's TOML parser, mapped by this class rather than by an ObjectMapper: building a mapper
 * and its deserializer for ConfigFile cost a fresh JVM ~0.1 s of wall time (~0.17 s of CPU) in
 * every config, prepare and cleanup, this class nothing measurable. The rules are the same
 * strict ones: a key ConfigFile lacks is an error, and no value turns into another TOML type
 * ("60" for a number or 1.5 for a whole number is an admin's mistake worth naming).
 */
final class ConfigFileReader {
    /** Immutable once built, safe to share between the executor service's calls. */
    private static final TomlFactory TOML = new TomlFactory();

    private ConfigFileReader() {
    }

    static ConfigFile read(String toml, Path file) {
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
        Map<String, String> follow = new LinkedHashMap<>();
        try (JsonParser parser = TOML.createParser(toml)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return ConfigFile.NONE;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(ConfigKey.PROFILES_TABLE)) {
                    profiles = profiles(value(parser), file);
                    continue;
                }
                if (name.equals(ConfigKey.CHROOT_FOLLOW_TABLE)) {
                    follow = chrootFollow(value(parser), file);
                    continue;
                }
                ConfigKey key = key(name, file);
                values.put(key, typed(key, value(parser), file));
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(e, file), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return ConfigFile.of(values, profiles, follow);
    }

    /** The [chroot_follow] table: chroot name = "image reference", the names checked by {@link ConfigLoader}. */
    private static Map<String, String> chrootFollow(Object value, Path file) {
        String expected = ": expected a table of chroot names and image references, such as [chroot_follow] then"
                + " bookworm = \"registry.example.com/fleet/bookworm:stable\"";
        if (!(value instanceof Map<?, ?> table)) {
            throw new ConfigException("invalid chroot_follow in " + file + expected);
        }
        Map<String, String> follow = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : table.entrySet()) {
            if (!(entry.getValue() instanceof String reference)) {
                throw new ConfigException("invalid chroot_follow." + entry.getKey() + " in " + file + expected);
            }
            follow.put(entry.getKey().toString(), reference);
        }
        return follow;
    }

    /** [profiles.NAME] tables: a table of tables, their keys checked later by {@link ProfileReader}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> profiles(Object value, Path file) {
        Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> table) {
            for (Map.Entry<?, ?> entry : table.entrySet()) {
                if (!(entry.getValue() instanceof Map<?, ?> profile)) {
                    throw new ConfigException("invalid profiles." + entry.getKey() + " in " + file
                            + ": expected a table, [profiles." + entry.getKey() + "], with keys such as devices = [\"/dev/kvm\"]");
                }
                profiles.put(entry.getKey().toString(), (Map<String, Object>) profile);
            }
            return profiles;
        }
        throw new ConfigException("invalid profiles in " + file + ": expected tables such as [profiles.kvm]");
    }

    private static ConfigKey key(String name, Path file) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.fileKey().equals(name)) {
                return key;
            }
        }
        throw new ConfigException("unknown key \"" + name + "\" in " + file + ": known keys are " + ConfigKey.knownKeys());
    }

    /** The parser's current value: a String, Integer, Long, BigInteger, BigDecimal, Double, Boolean, List or Map (a table). */
    private static Object value(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_ARRAY:
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(parser));
                }
                return items;
            case START_OBJECT:
                Map<String, Object> table = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    table.put(name, value(parser));
                }
                return table;
            default:
                // strings, and dates and times, which TOMLFactory gives as their text
                return parser.getText();
        }
    }

    /** VALUE as ConfigFile's component for KEY takes it, or the error naming the TOML type KEY takes. */
    private static Object typed(ConfigKey key, Object value, Path file) {
        return typed(key, value, file.toString());
    }

    /** The same check for a key of a [profiles.NAME] table, whose ORIGIN names the table. */
    static Object typed(ConfigKey key, Object value, String origin) {
        boolean integer = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        boolean seconds = key == ConfigKey.PREPARE_TIMEOUT_SECONDS || key == ConfigKey.STOP_GRACE_SECONDS
                || key == ConfigKey.DEVICE_WAIT_SECONDS;
        if (value instanceof BigInteger && seconds) {
            throw new Setting(key, value, origin).invalid();
        }
        boolean fits = switch (key) {
            case PREPARE_TIMEOUT_SECONDS, STOP_GRACE_SECONDS, DEVICE_WAIT_SECONDS -> integer;
            case LEAN_BOOT, USER_NAMESPACE -> value instanceof Boolean;
            case CHROOT_VARIABLES, NETWORK_DENY, PROFILES_ALLOWED, IMAGE_REGISTRIES, IMAGES_ALLOWED ->
                    value instanceof String || strings(value);
            case MEMORY_MAX, TASKS_MAX, IO_WEIGHT, MEMORY_MAX_ALLOWED, TASKS_MAX_ALLOWED, IO_WEIGHT_ALLOWED ->
                    value instanceof String || integer;
            case CHROOTS_DIR, STATE_DIR, DEFAULT_CHROOT, MACHINE_PREFIX, GITLAB_RUNNER_BINARY, NETWORK, NETWORK_POOL,
                    CPU_QUOTA, CPU_QUOTA_ALLOWED, DEFAULT_PROFILE, IMAGE_CACHE_MAX, IMAGE_MAX_SIZE, PULL_POLICY -> value instanceof String;
        };
        if (!fits) {
            throw new Setting(key, value, origin).wrongType();
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        // one string where a list goes: a one-element list, as quoting an old .conf line gives
        boolean list = key == ConfigKey.CHROOT_VARIABLES || key == ConfigKey.NETWORK_DENY || key == ConfigKey.PROFILES_ALLOWED
                || key == ConfigKey.IMAGE_REGISTRIES || key == ConfigKey.IMAGES_ALLOWED;
        return value instanceof String && list ? List.of(value) : value;
    }

    static boolean strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        for (Object item : list) {
            if (!(item instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** Jackson's TOML messages carry the line; the file name is ours to add. */
    private static String syntaxError(JsonProcessingException e, Path file) {
        JsonLocation location = e.getLocation();
        String line = location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
        String message = e.getOriginalMessage();
        // what an unquoted text value (the old key = value format) makes the TOML parser say
        boolean unquoted = message.startsWith("Unknown token") || message.startsWith("More data after value");
        return "TOML syntax error in " + file + line + ": " + message
                + (unquoted ? " (text values are quoted: key = \"value\")" : "");
    }
}
