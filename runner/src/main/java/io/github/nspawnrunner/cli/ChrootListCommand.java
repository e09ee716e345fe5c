package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootInfo;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the chroots: name, distribution, size, created, updated, jobs using it.")
final class ChrootListCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Mixin
    CommonOptions options;

    @Option(names = "--no-legend", description = "No header and footer, for scripts.")
    boolean noLegend;

    @Option(names = "--json", description = "Print a JSON array, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Session session = options.session();
        List<ChrootInfo> chroots = ChrootCommand.manager(session).list();
        if (json) {
            printJson(session.out(), chroots);
        } else {
            printTable(session.out(), chroots);
        }
        return 0;
    }

    private static void printJson(PrintStream out, List<ChrootInfo> chroots) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ChrootInfo chroot : chroots) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", chroot.name().value());
            row.put("distro", chroot.distro());
            row.put("size_bytes", chroot.sizeBytes());
            row.put("created", chroot.created().map(Instant::toString).orElse(null));
            row.put("updated", chroot.updated().map(Instant::toString).orElse(null));
            row.put("jobs", chroot.jobs());
            rows.add(row);
        }
        JsonOutput.print(out, rows);
    }

    private void printTable(PrintStream out, List<ChrootInfo> chroots) {
        int nameWidth = chroots.stream().mapToInt(c -> c.name().value().length()).max().orElse(0);
        int distroWidth = chroots.stream().mapToInt(c -> c.distro().length()).max().orElse(0);
        String format = "%-" + Math.max(4, nameWidth) + "s  %-" + Math.max(6, distroWidth) + "s  %6s  %-16s  %-16s  %4s%n";
        if (!noLegend) {
            out.printf(format, "NAME", "DISTRO", "SIZE", "CREATED", "UPDATED", "JOBS");
        }
        for (ChrootInfo chroot : chroots) {
            out.printf(format, chroot.name(), chroot.distro(), size(chroot.sizeBytes()),
                    time(chroot.created()), time(chroot.updated()), chroot.jobs());
        }
        if (!noLegend) {
            out.printf("%n%d chroots listed.%n", chroots.size());
        }
    }

    private static String time(Optional<Instant> instant) {
        return instant.map(TIME::format).orElse("-");
    }

    private static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format("%.1fG", bytes / (double) (1 << 30)) : String.format("%dM", bytes >> 20);
    }
}
