package io.github.nspawnrunner.chroot;

import java.util.Optional;
import java.util.regex.Pattern;

/** A chroot's name: a plain file name, never a path, so a job cannot point outside the chroots dir. */
public record ChrootName(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ChrootName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid chroot name: " + value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches() && !value.contains("..");
    }

    public static Optional<ChrootName> parse(String value) {
        return isValid(value) ? Optional.of(new ChrootName(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
