package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.cli.Listing.Column;
import io.github.nspawnrunner.image.ImageStore.CachedImage;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List the unpacked images: digest, size, last use, jobs using it, reference.")
final class ImageListCommand extends ListingCommand<CachedImage> {
    private static final Listing<CachedImage> LISTING = new Listing<>("images", List.of(
            Column.of("DIGEST", "digest", CachedImage::digest),
            new Column<>("SIZE", "size_bytes", CachedImage::size, image -> Listing.bytes(image.size())),
            new Column<>("LAST USED", "last_used", image -> image.lastUsed().toString(), image -> Listing.time(image.lastUsed())),
            Column.of("JOBS", "jobs", CachedImage::jobs),
            Column.of("REFERENCE", "reference", CachedImage::reference)));

    ImageListCommand() {
        super(session -> LISTING);
    }

    @Override
    List<CachedImage> rows(Session session) {
        return ImageCommand.store(session).list();
    }
}
