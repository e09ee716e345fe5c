package io.github.nspawnrunner.config;

import java.util.Locale;

/** The keys only a [profiles.NAME] table has; it may also set the keys for which {@link ConfigKey#profileMaySet()}. */
enum ProfileKey {
    DESCRIPTION("a short text, in double quotes"),
    DEVICES("device paths or globs under /dev such as [\"/dev/kvm\", \"/dev/ttyUSB*\"]"),
    SHARED_DEVICES("device paths or globs under /dev that jobs share, such as [\"/dev/fuse\"]"),
    MISSING_DEVICES("\"fail\" (prepare fails when a device matches nothing) or \"skip\" (it warns)"),
    HOST_DIRS("host directories as \"SOURCE:TARGET\" or \"SOURCE:TARGET:rw\" (read-only unless :rw), absolute paths"
            + " without ',', such as [\"/srv/yocto/sstate:/yocto/sstate:rw\"]"),
    CONTAINER_ENGINES("true or false"),
    CHROOTS("names of chroots such as [\"bookworm\"]");

    private final String expected;

    ProfileKey(String expected) {
        this.expected = expected;
    }

    String fileKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    String expected() {
        return expected;
    }

    static ProfileKey of(String name) {
        for (ProfileKey key : values()) {
            if (key.fileKey().equals(name)) {
                return key;
            }
        }
        return null;
    }
}
