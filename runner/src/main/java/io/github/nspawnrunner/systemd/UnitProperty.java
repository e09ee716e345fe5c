package io.github.nspawnrunner.systemd;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** One (sv) entry of StartTransientUnit's property array. */
public final class UnitProperty extends Struct {
    @Position(0)
    public final String name;
    @Position(1)
    public final Variant<?> value;

    public UnitProperty(String name, Variant<?> value) {
        this.name = name;
        this.value = value;
    }
}
