package io.github.nspawnrunner.service;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The executor service's D-Bus interface. bin/nspawn-runner calls it with busctl for config,
 * prepare and cleanup, so those need no JVM of their own; only root may call it (the bus policy
 * that {@link ServiceFiles} installs, and {@link ExecutorEndpoint} checks the caller again).
 */
@DBusInterfaceName(Executor1.NAME)
public interface Executor1 extends DBusInterface {
    String NAME = "io.github.nspawnrunner.Executor1";
    String OBJECT_PATH = "/io/github/nspawnrunner/Executor1";

    /**
     * Runs VERB (config, prepare or cleanup) as the CLI would, for a launcher whose jar is
     * CLIENT_JAR. The environment is not an argument: the service reads it from the caller's
     * process ({@link BusCallerLookup}). Throws {@link NotServed} when the caller must run it itself.
     */
    CallReply Call(String verb, String clientJar);
}
