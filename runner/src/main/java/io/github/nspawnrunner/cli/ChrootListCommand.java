package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootInfo;
import io.github.nspawnrunner.cli.Listing.Column;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", description = {"List the chroots: name, distribution, size, created, updated, jobs using it.",
        "--json adds the image (reference@digest) the current version was pulled from, if it was."})
final class ChrootListCommand extends ListingCommand<ChrootInfo> {
    private static final Listing<ChrootInfo> LISTING = new Listing<>("chroots", List.of(
            Column.of("NAME", "name", chroot -> chroot.name().value()),
            Column.of("DISTRO", "distro", ChrootInfo::distro),
            new Column<>("SIZE", "size_bytes", ChrootInfo::sizeBytes, chroot -> Listing.bytes(chroot.sizeBytes())),
            new Column<>("CREATED", "created", chroot -> chroot.created().map(Instant::toString).orElse(null),
                    chroot -> chroot.created().map(Listing::time).orElse("-")),
            new Column<>("UPDATED", "updated", chroot -> chroot.updated().map(Instant::toString).orElse(null),
                    chroot -> chroot.updated().map(Listing::time).orElse("-")),
            Column.of("JOBS", "jobs", ChrootInfo::jobs),
            // which build a fleet host runs (chroot pull, chroot follow); too long for the table
            Column.jsonOnly("image", chroot -> chroot.image().orElse(null))));

    ChrootListCommand() {
        super(session -> LISTING);
    }

    @Override
    List<ChrootInfo> rows(Session session) {
        return ChrootCommand.manager(session).list();
    }
}
