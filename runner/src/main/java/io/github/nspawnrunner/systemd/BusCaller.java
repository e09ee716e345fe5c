package io.github.nspawnrunner.systemd;

/** A method call's sender: its unique bus name, and the uid and pid dbus-daemon took from its socket (-1 if unknown). */
public record BusCaller(String sender, long uid, long pid) {
}
