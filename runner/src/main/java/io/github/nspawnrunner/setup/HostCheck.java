package io.github.nspawnrunner.setup;

import java.util.Optional;

/**
 * One fact about the host that nspawn-runner needs. FIX says what to do when it fails; PACKAGE
 * is the Debian package that fixes it, for --install-deps.
 */
public record HostCheck(String what, boolean ok, String detail, String fix, Optional<String> fixingPackage) {
    static HostCheck passed(String what, String detail) {
        return new HostCheck(what, true, detail, "", Optional.empty());
    }

    static HostCheck failed(String what, String detail, String fix) {
        return new HostCheck(what, false, detail, fix, Optional.empty());
    }

    static HostCheck missingPackage(String what, String detail, String debianPackage) {
        return new HostCheck(what, false, detail, "apt-get install " + debianPackage + " (or: nspawn-runner setup --install-deps)",
                Optional.of(debianPackage));
    }
}
