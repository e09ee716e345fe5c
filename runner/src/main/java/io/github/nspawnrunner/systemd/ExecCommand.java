package io.github.nspawnrunner.systemd;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One (sasb) entry of an ExecStart property: binary, argv (argv[0] included), ignore-failure. */
public final class ExecCommand extends Struct {
    @Position(0)
    public final String path;
    @Position(1)
    public final List<String> argv;
    @Position(2)
    public final boolean ignoreFailure;

    public ExecCommand(String path, List<String> argv, boolean ignoreFailure) {
        this.path = path;
        this.argv = argv;
        this.ignoreFailure = ignoreFailure;
    }
}
