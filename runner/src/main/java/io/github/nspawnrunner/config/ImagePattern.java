package io.github.nspawnrunner.config;

import java.util.regex.Pattern;

/**
 * One of the admin's images_allowed patterns, in the style of tart's --allow-image (doublestar
 * globs), matched against the whole normalized reference, e.g. {@code docker.io/library/debian:12}:
 * {@code *} and {@code ?} stay within one path component (not '/'), {@code **} crosses them,
 * {@code [abc]}/{@code [!a-z]} are one character of a class, {@code {a,b}} are alternatives and
 * a backslash makes the next character literal.
 */
public record ImagePattern(String glob, Pattern regex) {
    public static ImagePattern parse(String glob) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        StringBuilder regex = new StringBuilder();
        int end = translate(glob, 0, regex, false);
        if (end != glob.length()) {
            throw new IllegalArgumentException("unbalanced '}' in " + glob);
        }
        return new ImagePattern(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String reference) {
        return regex.matcher(reference).matches();
    }

    /** Translates GLOB from START into REGEX, up to the end or, inside braces, an unmatched ',' or '}'. */
    private static int translate(String glob, int start, StringBuilder regex, boolean inBraces) {
        int i = start;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        regex.append(".*");
                        i += 2;
                    } else {
                        regex.append("[^/]*");
                        i++;
                    }
                }
                case '?' -> {
                    regex.append("[^/]");
                    i++;
                }
                case '\\' -> {
                    if (i + 1 == glob.length()) {
                        throw new IllegalArgumentException("a trailing '\\' in " + glob);
                    }
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                    i += 2;
                }
                case '[' -> i = characterClass(glob, i, regex);
                case '{' -> {
                    regex.append("(?:");
                    i++;
                    while (true) {
                        i = translate(glob, i, regex, true);
                        if (i >= glob.length()) {
                            throw new IllegalArgumentException("unbalanced '{' in " + glob);
                        }
                        if (glob.charAt(i) == '}') {
                            regex.append(')');
                            i++;
                            break;
                        }
                        regex.append('|');
                        i++;
                    }
                }
                case ',', '}' -> {
                    if (inBraces) {
                        return i;
                    }
                    if (c == '}') {
                        return i;
                    }
                    regex.append(Pattern.quote(","));
                    i++;
                }
                default -> {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }
        return i;
    }

    private static int characterClass(String glob, int open, StringBuilder regex) {
        int close = glob.indexOf(']', open + 2);
        if (close < 0) {
            throw new IllegalArgumentException("unbalanced '[' in " + glob);
        }
        String body = glob.substring(open + 1, close);
        boolean negated = body.startsWith("!") || body.startsWith("^");
        if (negated) {
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException("an empty class '[]' in " + glob);
        }
        StringBuilder chars = new StringBuilder();
        for (char c : body.toCharArray()) {
            if (c == '-') {
                chars.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                chars.append(c);
            } else {
                chars.append('\\').append(c);
            }
        }
        regex.append(negated ? "[^/" : "[").append(chars).append(']');
        return close + 1;
    }

    /** Equal when written the same: a compiled Pattern has no equality of its own. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ImagePattern pattern && pattern.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
