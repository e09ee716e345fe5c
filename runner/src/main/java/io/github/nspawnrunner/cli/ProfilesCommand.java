package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.DeviceGrant;
import io.github.nspawnrunner.config.HostDir;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.config.Profiles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "profiles", description = "List the job profiles of this runner's config and what each one grants.")
final class ProfilesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--json", description = "Print a JSON array, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Session session = options.session();
        Profiles profiles = session.config().profiles();
        if (json) {
            printJson(session.out(), profiles);
        } else {
            printTable(session.out(), profiles);
        }
        return 0;
    }

    private static Map<String, Object> row(Profile profile, Profiles profiles) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", profile.name());
        row.put("default", profile.name().equals(profiles.defaultName()));
        row.put("selectable", profiles.isSelectable(profile.name()));
        row.put("description", profile.description());
        row.put("devices", profile.devices().stream().filter(device -> !device.shared()).map(DeviceGrant::pattern).toList());
        row.put("shared_devices", profile.devices().stream().filter(DeviceGrant::shared).map(DeviceGrant::pattern).toList());
        row.put("missing_devices", profile.skipMissingDevices() ? "skip" : "fail");
        row.put("host_dirs", profile.hostDirs().stream().map(HostDir::describe).toList());
        row.put("network", profile.network().key());
        row.put("user_namespace", profile.userNamespace());
        row.put("container_engines", profile.containerEngines());
        row.put("chroots", profile.chroots());
        row.put("limits", profile.limits().describe());
        row.put("limits_allowed", profile.limitsAllowed().describe());
        return row;
    }

    private static void printJson(PrintStream out, Profiles profiles) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Profile profile : profiles.all()) {
            rows.add(row(profile, profiles));
        }
        JsonOutput.print(out, rows);
    }

    /** A line per profile, then one block per profile, like `systemctl show`: a profile grants too much for one line. */
    private static void printTable(PrintStream out, Profiles profiles) {
        String format = "%-8s  %-10s  %-8s  %-7s  %-7s  %-9s  %-7s  %s%n";
        out.printf(format, "NAME", "SELECT", "NETWORK", "USERNS", "ENGINES", "DEVICES", "DIRS", "DESCRIPTION");
        for (Profile profile : profiles.all()) {
            String select = profile.name().equals(profiles.defaultName()) ? "default" : yesNo(profiles.isSelectable(profile.name()));
            out.printf(format, profile.name(), select, profile.network().key(), yesNo(profile.userNamespace()),
                    yesNo(profile.containerEngines()), profile.devices().size(), profile.hostDirs().size(), profile.description());
        }
        for (Profile profile : profiles.all()) {
            out.printf("%n%s:%n", profile.name());
            Map<String, Object> row = row(profile, profiles);
            for (String key : List.of("devices", "shared_devices", "missing_devices", "host_dirs", "chroots", "limits", "limits_allowed")) {
                Object value = row.get(key);
                boolean shown = value instanceof List<?> list ? !list.isEmpty() : !key.equals("missing_devices") || !profile.devices().isEmpty();
                if (shown) {
                    out.printf("  %-16s %s%n", key, value instanceof List<?> list
                            ? String.join(" ", list.stream().map(String::valueOf).toList()) : value);
                }
            }
        }
    }

    private static String yesNo(boolean flag) {
        return flag ? "yes" : "no";
    }
}
