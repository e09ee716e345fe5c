package io.github.nspawnrunner.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's profiles: "default" (the runner's own settings) unless the admin redefines it,
 * the admin's [profiles.NAME] tables, which one a job gets without asking, and which ones a job may
 * select (the default always).
 */
public record Profiles(Map<String, Profile> byName, String defaultName, List<String> selectable) {
    public Profiles {
        byName = Map.copyOf(byName);
        selectable = List.copyOf(selectable);
        if (!byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("no profile " + defaultName);
        }
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Profile defaultProfile() {
        return byName.get(defaultName);
    }

    public boolean isSelectable(String name) {
        return name.equals(defaultName) || selectable.contains(name);
    }

    /** The profiles a job may select, the default first. */
    public List<String> selectableNames() {
        List<String> names = new ArrayList<>(List.of(defaultName));
        for (String name : selectable) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Every profile, the default first, then by name. */
    public List<Profile> all() {
        List<Profile> profiles = new ArrayList<>(List.of(defaultProfile()));
        byName.keySet().stream().sorted().filter(name -> !name.equals(defaultName)).forEach(name -> profiles.add(byName.get(name)));
        return profiles;
    }
}
