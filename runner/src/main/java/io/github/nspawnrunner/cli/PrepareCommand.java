package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.Chroot;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.ChrootSelector;
import io.github.nspawnrunner.chroot.ChrootStore;
import io.github.nspawnrunner.config.HostMemory;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.machine.ContainerTools;
import io.github.nspawnrunner.machine.JobLimits;
import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.PrepareJob;
import io.github.nspawnrunner.machine.ProfileSelection;
import io.github.nspawnrunner.systemd.NspawnBinary;
import io.github.nspawnrunner.systemd.SystemBus;
import io.github.nspawnrunner.systemd.SystemBusConnect;
import picocli.CommandLine.Command;

@Command(name = "prepare", description = "prepare_exec: boot the job's container on an overlay of its chroot.")
final class PrepareCommand extends GitlabRunnerCommand {
    @Override
    public int applyAsInt(Session session) {
        {
            long start = System.nanoTime();
            SystemBusConnect connect = session.connectBus();
            RunnerConfig config = session.config();
            JobContext runnerJob = JobContext.resolve(session.environment(), config);
            // validate everything the job chose before anything is created
            ChrootName name = new ChrootSelector(config.chrootVariables(), config.defaultChroot()).select(session.environment());
            ChrootStore chroots = new ChrootStore(config.chrootsDir());
            chroots.require(name);
            Profile profile = ProfileSelection.select(config.profiles(), session.environment(), name);
            JobContext job = runnerJob.withConfig(config.forProfile(profile));
            ResourceLimits limits = JobLimits.resolve(job.config(), session.environment(), HostMemory.total());
            var tools = new ContainerTools(NspawnBinary.locate(session.environment().variables().get("PATH")),
                    Installation.current().lavaClientJar());
            Chroot chroot;
            try (SystemBus bus = connect.await()) {
                chroot = new PrepareJob(job, bus.units(), bus.machines(), session.log()).run(name, limits, profile, chroots, tools);
            }
            session.log().info("started " + job.describe() + " on chroot " + chroot.name() + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms; profile " + profile.name() + "; limits: " + limits.describe());
            return 0;
        }
    }
}
