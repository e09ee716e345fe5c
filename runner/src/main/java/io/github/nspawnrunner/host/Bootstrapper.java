package io.github.nspawnrunner.host;

import java.util.Locale;

/**
 * The tool that installs a new Debian tree (rootfs-builder/debian-rootfs --builder). Without a
 * choice the script takes mmdebstrap when it is installed (faster: bench/README.md), else debootstrap.
 */
public enum Bootstrapper {
    MMDEBSTRAP, DEBOOTSTRAP;

    /** Its command and Debian package name. */
    public String command() {
        return name().toLowerCase(Locale.ROOT);
    }
}
