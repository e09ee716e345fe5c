package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.image.ImageStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the unpacked images: digest, size, last use, jobs using it, reference.")
final class ImageListCommand implements Callable<Integer> {
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
        List<ImageStore.CachedImage> images = ImageCommand.store(session).list();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ImageStore.CachedImage image : images) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("digest", image.digest());
                row.put("reference", image.reference());
                row.put("size_bytes", image.size());
                row.put("last_used", image.lastUsed().toString());
                row.put("jobs", image.jobs());
                rows.add(row);
            }
            JsonOutput.print(session.out(), rows);
            return 0;
        }
        String format = "%-71s  %6s  %-16s  %4s  %s%n";
        if (!noLegend) {
            session.out().printf(format, "DIGEST", "SIZE", "LAST USED", "JOBS", "REFERENCE");
        }
        for (ImageStore.CachedImage image : images) {
            session.out().printf(format, image.digest(), (image.size() >> 20) + "M", TIME.format(image.lastUsed()), image.jobs(),
                    image.reference());
        }
        if (!noLegend) {
            session.out().printf("%n%d images listed.%n", images.size());
        }
        return 0;
    }
}
