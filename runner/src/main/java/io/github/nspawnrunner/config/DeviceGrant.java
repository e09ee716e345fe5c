package io.github.nspawnrunner.config;

/**
 * A device path or glob of a profile, e.g. "/dev/kvm" or "/dev/serial/by-id/*". An exclusive
 * device is held by one job at a time; a shared one (a profile's shared_devices) by any number.
 */
public record DeviceGrant(String pattern, boolean shared) {
}
