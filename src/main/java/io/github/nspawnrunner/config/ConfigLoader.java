package io.github.nspawnrunner.config;

import io.github.nspawnrunner.executor.ExecutorException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Loads {@link RunnerConfig}: built-in defaults, overridden by the config file, overridden by
 * NSPAWN_RUNNER_* environment variables. The file is java.util.Properties ({@code key = value},
 * {@code #} comments): the JDK reads it with no extra class loading on the per-stage path.
 * <p>
 * Job variables reach the executor only as CUSTOM_ENV_*, so a job cannot set NSPAWN_RUNNER_*.
 * Plain loops, no lambdas: this runs in every stage, and each lambda's first use costs the
 * short-lived JVM start-up time.
 */
public final class ConfigLoader {
    private static final Pattern MACHINE_PREFIX = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The file named by --config, else NSPAWN_RUNNER_CONFIG, else the default (optional) file. */
    public RunnerConfig load(Path explicitFile) {
        Path file = explicitFile;
        boolean required = file != null;
        if (file == null && environment.get("NSPAWN_RUNNER_CONFIG") != null) {
            file = Path.of(environment.get("NSPAWN_RUNNER_CONFIG"));
            required = true;
        }
        if (file == null) {
            file = RunnerConfig.DEFAULT_FILE;
        }
        return fromValues(values(file, required), file);
    }

    private Map<ConfigKey, String> values(Path file, boolean required) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        for (var entry : readFile(file, required).entrySet()) {
            values.put(keyOf(entry.getKey().toString(), file), entry.getValue().toString().trim());
        }
        for (ConfigKey key : ConfigKey.values()) {
            String fromEnv = environment.get(key.environmentVariable());
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
            }
        }
        return values;
    }

    private static Properties readFile(Path file, boolean required) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            if (required) {
                throw ExecutorException.system("config file " + file + " does not exist");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ExecutorException.system("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static ConfigKey keyOf(String name, Path file) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.fileKey().equals(name)) {
                return key;
            }
        }
        throw ExecutorException.system("unknown key '" + name + "' in " + file + " (known keys: " + ConfigKey.knownKeys() + ")");
    }

    private static RunnerConfig fromValues(Map<ConfigKey, String> values, Path file) {
        String prefix = values.get(ConfigKey.MACHINE_PREFIX);
        if (!MACHINE_PREFIX.matcher(prefix).matches()) {
            throw invalid(ConfigKey.MACHINE_PREFIX, prefix, file, "1-16 lower-case letters and digits, starting with a letter");
        }
        List<String> variables = new ArrayList<>();
        for (String variable : values.get(ConfigKey.CHROOT_VARIABLES).split("[,\\s]+")) {
            if (variable.isEmpty()) {
                continue;
            }
            variables.add(variable);
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                throw invalid(ConfigKey.CHROOT_VARIABLES, variable, file, "a comma-separated list of variable names");
            }
        }
        return new RunnerConfig(
                absolutePath(values, ConfigKey.CHROOTS_DIR, file),
                absolutePath(values, ConfigKey.STATE_DIR, file),
                values.get(ConfigKey.DEFAULT_CHROOT),
                variables,
                prefix,
                seconds(values, ConfigKey.PREPARE_TIMEOUT_SECONDS, file),
                seconds(values, ConfigKey.STOP_GRACE_SECONDS, file),
                absolutePath(values, ConfigKey.GITLAB_RUNNER_BINARY, file),
                bool(values, ConfigKey.LEAN_BOOT, file),
                bool(values, ConfigKey.USER_NAMESPACE, file));
    }

    private static Path absolutePath(Map<ConfigKey, String> values, ConfigKey key, Path file) {
        String value = values.get(key);
        if (!value.startsWith("/") || value.contains(":") || value.contains(",")) {
            throw invalid(key, value, file, "an absolute path without ':' or ','");
        }
        return Path.of(value).normalize();
    }

    private static Duration seconds(Map<ConfigKey, String> values, ConfigKey key, Path file) {
        String value = values.get(key);
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, file, "a whole number of seconds from 1 to 86400");
    }

    private static boolean bool(Map<ConfigKey, String> values, ConfigKey key, Path file) {
        return switch (values.get(key)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, values.get(key), file, "true or false");
        };
    }

    private static ExecutorException invalid(ConfigKey key, String value, Path file, String expected) {
        return ExecutorException.system("invalid " + key.fileKey() + " '" + value + "' (from " + file + " or "
                + key.environmentVariable() + "): expected " + expected);
    }
}
