package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.image.ImageStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
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

    @Override
    public Integer call() {
        Session session = options.session();
        List<ImageStore.CachedImage> images = ImageCommand.store(session).list();
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
