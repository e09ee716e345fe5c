package io.github.nspawnrunner.machine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What prepare records of a job for people to read (`nspawn-runner jobs`): its project, what it
 * runs on, its profile and when it was prepared. Nothing decides anything by these: a job from an
 * older nspawn-runner, without them, is listed with blanks.
 */
public record JobLabels(OptionalLong projectId, String chroot, String profile, Optional<Instant> prepared) {
    static final JobLabels UNKNOWN = new JobLabels(OptionalLong.empty(), "", "", Optional.empty());

    String text() {
        return (projectId.isPresent() ? "project=" + projectId.getAsLong() + "\n" : "")
                + "chroot=" + chroot + "\nprofile=" + profile + "\n"
                + prepared.map(instant -> "prepared=" + instant + "\n").orElse("");
    }

    /** The labels among VALUES (a record's keys); a value that does not parse is a blank, not an error. */
    static JobLabels from(Map<String, String> values) {
        return new JobLabels(number(values.get("project")), values.getOrDefault("chroot", ""),
                values.getOrDefault("profile", ""), instant(values.get("prepared")));
    }

    private static OptionalLong number(String value) {
        try {
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
