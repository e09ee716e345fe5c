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
import io.github.nspawnrunner.image.Image;
import io.github.nspawnrunner.image.ImagePolicy;
import io.github.nspawnrunner.image.ImageReference;
import io.github.nspawnrunner.image.JobCredentials;
import io.github.nspawnrunner.machine.ContainerTools;
import io.github.nspawnrunner.machine.JobLimits;
import io.github.nspawnrunner.machine.JobContext;
import io.github.nspawnrunner.machine.PrepareJob;
import io.github.nspawnrunner.machine.ProfileSelection;
import io.github.nspawnrunner.systemd.NspawnBinary;
import io.github.nspawnrunner.systemd.SystemBus;
import io.github.nspawnrunner.systemd.SystemBusConnect;
import java.nio.file.Files;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(name = "prepare", description = "prepare_exec: boot the job's container on an overlay of its chroot.")
final class PrepareCommand extends GitlabRunnerCommand {
    @Override
    public int applyAsInt(Session session) {
        long start = System.nanoTime();
        SystemBusConnect connect = session.connectBus();
        RunnerConfig config = session.config();
        JobContext runnerJob = JobContext.resolve(session.environment(), config);
        // validate everything the job chose before anything is created
        ChrootSelector selector = new ChrootSelector(config.chrootVariables(), config.defaultChroot());
        ChrootStore chroots = new ChrootStore(config.chrootsDir());
        Optional<String> image = selector.chosen(session.environment()).filter(chosen -> namesImage(chosen, config, chroots));
        if (image.isPresent()) {
            return prepareImage(session, connect, runnerJob, image.get(), chroots, start);
        }
        ChrootName name = selector.select(session.environment());
        chroots.require(name);
        Plan plan = Plan.of(session, runnerJob, ProfileSelection.select(config.profiles(), session.environment(), name));
        Chroot chroot;
        try (SystemBus bus = connect.await()) {
            chroot = plan.prepareJob(bus, session).run(name, plan.limits(), plan.profile(), chroots, plan.tools());
        }
        plan.started(session, "chroot " + chroot.name(), start);
        return 0;
    }

    /** What both kinds of job decide before they start: profile, configuration, limits and the tools bound in. */
    private record Plan(JobContext job, Profile profile, ResourceLimits limits, ContainerTools tools) {
        static Plan of(Session session, JobContext runnerJob, Profile profile) {
            JobContext job = runnerJob.withConfig(session.config().forProfile(profile));
            return new Plan(job, profile, JobLimits.resolve(job.config(), session.environment(), HostMemory.total()),
                    new ContainerTools(NspawnBinary.locate(session.environment().variables().get("PATH")),
                            Installation.current().lavaClientJar()));
        }

        PrepareJob prepareJob(SystemBus bus, Session session) {
            return new PrepareJob(job, bus.units(), bus.machines(), session.log());
        }

        void started(Session session, String on, long start) {
            session.log().info("started " + job.describe() + " on " + on + " in " + (System.nanoTime() - start) / 1_000_000
                    + " ms; profile " + profile.name() + "; limits: " + limits.describe());
        }
    }

    /**
     * image: names an OCI image unless it is the plain name of an existing chroot, and only on a
     * runner that allows some registry (else every value is a chroot, as before images).
     */
    private static boolean namesImage(String chosen, RunnerConfig config, ChrootStore chroots) {
        if (config.images().registries().isEmpty()) {
            return false;
        }
        Optional<ChrootName> name = ChrootName.parse(chosen);
        if (name.isPresent() && Files.isDirectory(config.chrootsDir().resolve(name.get().value()))) {
            return false;
        }
        return ImageReference.tryParse(chosen).isPresent();
    }

    private static int prepareImage(Session session, SystemBusConnect connect, JobContext runnerJob, String text, ChrootStore chroots,
            long start) {
        RunnerConfig config = session.config();
        // refused before anything is created (the store checks again)
        ImageReference reference = new ImagePolicy(config.images()).check(text);
        Plan plan = Plan.of(session, runnerJob, ProfileSelection.select(config.profiles(), session.environment(), reference.toString()));
        // the job's own credentials, from its variables; pull progress goes to the job log
        JobCredentials credentials = JobCredentials.from(session.environment()::jobVariable);
        Image image;
        try (SystemBus bus = connect.await()) {
            image = plan.prepareJob(bus, session)
                    .runImage(text, credentials, ImageCommand.store(session), chroots, plan.limits(), plan.profile(), plan.tools());
        }
        plan.started(session, "image " + image.reference() + " (" + image.digest() + ")", start);
        return 0;
    }
}
