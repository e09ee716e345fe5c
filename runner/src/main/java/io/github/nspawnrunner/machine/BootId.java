package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.failure.ExecutorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This boot of the host, as the kernel names it: a random id made at every boot. A job recorded
 * under another boot id cannot have a machine any more, whatever the clock says (clocks jump:
 * NTP after a dead RTC battery, an admin's date); the id never repeats and never moves.
 */
public record BootId(String value) {
    private static final Path KERNEL_FILE = Path.of("/proc/sys/kernel/random/boot_id");

    public BootId {
        if (!value.matches("[0-9a-f-]{8,64}")) {
            throw new IllegalArgumentException("not a boot id: " + value);
        }
    }

    public static BootId current() {
        try {
            return new BootId(Files.readString(KERNEL_FILE).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw ExecutorException.system("cannot read this boot's id from " + KERNEL_FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
