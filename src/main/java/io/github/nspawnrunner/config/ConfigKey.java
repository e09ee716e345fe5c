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
    USER_NAMESPACE("true");

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

    static String knownKeys() {
        return Arrays.stream(values()).map(ConfigKey::fileKey).collect(Collectors.joining(", "));
    }
}
