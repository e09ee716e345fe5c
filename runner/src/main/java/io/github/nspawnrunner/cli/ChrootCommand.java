package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootLayout;
import io.github.nspawnrunner.chroot.ChrootManager;
import io.github.nspawnrunner.chroot.ChrootUsage;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.image.ChrootImages;
import io.github.nspawnrunner.host.RootfsBuilder;
import io.github.nspawnrunner.systemd.NspawnShell;
import java.time.Clock;
import picocli.CommandLine.Command;

@Command(name = "chroot", description = "Build and maintain the chroots (base root filesystems) jobs run on.",
        subcommands = {ChrootCreateCommand.class, ChrootListCommand.class, ChrootLoginCommand.class,
                ChrootUpgradeCommand.class, ChrootRemoveCommand.class, ChrootPushCommand.class, ChrootPullCommand.class,
                ChrootFollowCommand.class})
final class ChrootCommand extends GroupCommand {
    static ChrootManager manager(Session session) {
        RunnerConfig config = session.config();
        return new ChrootManager(ChrootLayout.canonical(config.chrootsDir()), new ChrootUsage(config.jobsDir()),
                new RootfsBuilder(Installation.current()), new NspawnShell(), Clock.systemUTC(), session.log());
    }

    /** Chroots from a registry: `chroot pull` and `chroot follow`. */
    static ChrootImages images(Session session) {
        return new ChrootImages(manager(session), ImageCommand.registry(), session.log());
    }

    static ChrootManager manager(CommonOptions options) {
        return manager(options.session());
    }
}
