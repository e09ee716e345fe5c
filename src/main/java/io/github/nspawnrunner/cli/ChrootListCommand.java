package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
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

    @Override
    public Integer call() {
        return options.session().guardAdmin(session -> {
            List<ChrootInfo> chroots = ChrootCommand.manager(session).list();
            int nameWidth = chroots.stream().mapToInt(c -> c.name().value().length()).max().orElse(0);
            int distroWidth = chroots.stream().mapToInt(c -> c.distro().length()).max().orElse(0);
            String format = "%-" + Math.max(4, nameWidth) + "s  %-" + Math.max(6, distroWidth) + "s  %6s  %-16s  %-16s  %4s%n";
            if (!noLegend) {
                System.out.printf(format, "NAME", "DISTRO", "SIZE", "CREATED", "UPDATED", "JOBS");
            }
            for (ChrootInfo chroot : chroots) {
                System.out.printf(format, chroot.name(), chroot.distro(), size(chroot.sizeBytes()),
                        time(chroot.created()), time(chroot.updated()), chroot.jobs());
            }
            if (!noLegend) {
                System.out.printf("%n%d chroots listed.%n", chroots.size());
            }
            return 0;
        });
    }

    private static String time(Optional<Instant> instant) {
        return instant.map(TIME::format).orElse("-");
    }

    private static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format("%.1fG", bytes / (double) (1 << 30)) : String.format("%dM", bytes >> 20);
    }
}
