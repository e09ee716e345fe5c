package io.github.nspawnrunner.image;

/**
 * A job's user name and password for one registry. Never printed: {@link #toString()} names the
 * registry and user only, so no message or log line can carry the password by accident.
 */
public record RegistryCredentials(String registry, String username, String password) {
    @Override
    public String toString() {
        return "credentials of " + username + " for " + registry;
    }
}
