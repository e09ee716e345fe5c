package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.chroot.Chroot;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.ChrootSelector;
import io.github.nspawnrunner.chroot.ChrootStore;
import io.github.nspawnrunner.config.NetworkMode;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.common.Log;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.image.Image;
import io.github.nspawnrunner.image.ImageStore;
import io.github.nspawnrunner.image.JobCredentials;
import io.github.nspawnrunner.systemd.MachineControl;
import io.github.nspawnrunner.systemd.SystemdException;
import io.github.nspawnrunner.systemd.TransientService;
import io.github.nspawnrunner.systemd.UnitControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates a job's overlay and boots its container as a transient systemd service, returning once
 * the container's systemd reports ready. On failure it leaves nothing behind.
 */
public final class PrepareJob {
    private static final int CONSOLE_LINES_ON_FAILURE = 8;

    private final JobContext context;
    private final UnitControl units;
    private final MachineControl machines;
    private final Log log;

    public PrepareJob(JobContext context, UnitControl units, MachineControl machines, Log log) {
        this.context = context;
        this.units = units;
        this.machines = machines;
        this.log = log;
    }

    /**
     * Boots the job's container on chroot NAME under LIMITS, with what PROFILE grants; the caller
     * has validated all three. The profile's devices are found now, and exclusive ones claimed
     * (waiting while another job holds one).
     */
    public Chroot run(ChrootName name, ResourceLimits limits, Profile profile, ChrootStore chroots, ContainerTools tools) {
        return inJobDirectory(name.value(), profile, cleanup -> prepare(name, limits, profile, chroots, tools, cleanup));
    }

    /**
     * PREPARE run in the job's new, locked job directory (labelled with the job's chroot or image,
     * ON), after removing what an earlier attempt left. The lock is held until prepare returns:
     * the orphan collector leaves a job alone while it is prepared.
     */
    private <T> T inJobDirectory(String on, Profile profile, Function<CleanupJob, T> prepare) {
        CleanupJob cleanup = new CleanupJob(context, units, machines, log);
        if (cleanup.anythingLeft()) {
            log.info("removing what an earlier attempt left of " + context.describe());
            cleanup.run();
        }
        JobDirectory.createPrivate(context.config().jobsDir());
        JobLabels labels = new JobLabels(context.job().projectId(), on, profile.name(), Optional.of(Instant.now()));
        try (JobLock ignored = JobDirectory.createLocked(context.paths().jobDir(), JobOrigin.of(context, BootId.current(), labels))) {
            return prepare.apply(cleanup);
        }
    }

    /**
     * Starts the job's container on the OCI image its image: names (TEXT), acquired with the job's
     * own CREDENTIALS: not booted (an image has no systemd, as a rule) but holding its namespaces
     * for the stages, which enter them (see {@link EnteredStages}). The image's unpacked rootfs is
     * the lower dir of the job's overlay, exactly as a chroot version is.
     */
    public Image runImage(String text, JobCredentials credentials, ImageStore images, ChrootStore chroots, ResourceLimits limits,
            Profile profile, ContainerTools tools) {
        return inJobDirectory("image " + ExecutorEnvironment.printable(text), profile, cleanup -> {
            try {
                return prepareImage(text, credentials, images, chroots, limits, profile, tools);
            } catch (ExecutorException e) {
                try {
                    cleanup.runLocked();
                } catch (ExecutorException cleanupFailure) {
                    e.addSuppressed(cleanupFailure);
                }
                throw e;
            }
        });
    }

    private Image prepareImage(String text, JobCredentials credentials, ImageStore images, ChrootStore chroots, ResourceLimits limits,
            Profile profile, ContainerTools tools) {
        JobPaths paths = context.paths();
        JobDirectory.createPrivate(paths.exchangeDir());
        ProfileGrants grants = grants(profile);
        // the helper (get_sources, cache, artifacts) runs on the runner's default chroot, kept for the job like a chroot
        // version; checked before the pull, which a runner without it would make in vain
        Chroot helperChroot;
        try {
            helperChroot = chroots.acquireForHelper(new ChrootSelector(List.of(), context.config().defaultChroot())
                    .select(context.environment()), paths.jobDir());
        } catch (ExecutorException e) {
            throw ExecutorException.system("image jobs need the runner's default_chroot for their helper container"
                    + " (get_sources, the cache and artifact stages): " + e.getMessage(), e);
        }
        Image image = images.acquire(text, credentials, Optional.of(paths.jobDir()));
        String bash = RootfsPath.bash(image.rootfs()).orElseThrow(() -> ExecutorException.build(
                "image " + image.reference() + " has no bash (neither /bin/bash nor /usr/bin/bash): nspawn-runner runs"
                        + " gitlab-runner's stage scripts with bash"));
        boolean userNamespace = context.config().userNamespace();
        EnteredStages checked = EnteredStages.of(image.reference().toString(), paths, 0, userNamespace,
                context.config().network() != NetworkMode.HOST, bash, image.config().workingDir(), image.config().env(),
                ContainerResources.of(limits, grants.deviceAllow()));
        String helperBash = RootfsPath.bash(helperChroot.directory()).orElseThrow();
        JobDirectory.createRoot(paths.upperDir(), image.rootfs());
        JobDirectory.createRoot(paths.helperUpperDir(), helperChroot.directory());
        JobDirectory.createPublic(paths.buildsDir());
        // nspawn writes /etc/resolv.conf (and binds files there): an image without /etc gets one, in the job's layer
        if (RootfsPath.resolve(image.rootfs(), "/etc").isEmpty()) {
            JobDirectory.createPublic(paths.upperDir().resolve("etc"));
        }
        try {
            JobNetwork network = new JobNetwork(context, log);
            network.reserve();
            try {
                // first the job's slice with its limits: the containers' units and the stages' share its one budget
                units.startSliceAndWait(context.machine().slice(), "nspawn-runner job " + context.job().jobId() + " on image "
                        + image.reference(), ContainerResources.of(limits, grants.deviceAllow()), context.config().prepareTimeout());
                startHolders(image, bash, helperChroot, helperBash, tools, limits, network, grants);
            } finally {
                network.awaitRules();
            }
            network.attach(machines);
            long leader = machines.leaderPid(context.machine().value());
            JobNamespaces.bind(leader, paths.namespacesDir(), userNamespace);
            long helperLeader = machines.leaderPid(context.machine().helper().value());
            JobNamespaces.bind(helperLeader, paths.helperNamespacesDir(), JobNamespaces.helperOptions(userNamespace));
            StageTarget.of(context, limits).entering(checked.withLeader(leader).inSlice(context.machine())
                    .withHelper(EnteredStages.Helper.of(paths, helperLeader, userNamespace, helperBash)))
                    .write(StageTarget.fileOf(context));
            return image;
        } catch (SystemdException | ExecutorException e) {
            showConsoleTail(paths.consoleLog());
            showConsoleTail(paths.helperConsoleLog());
            throw ExecutorException.system("cannot start " + context.describe() + " on image " + image.reference()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the image's container and its helper side by side, neither booted; with a user
     * namespace both in the job's one range, each over its idmapped lower dir mounted meanwhile.
     */
    private void startHolders(Image image, String bash, Chroot helperChroot, String helperBash, ContainerTools tools,
            ResourceLimits limits, JobNetwork network, ProfileGrants grants) {
        JobPaths paths = context.paths();
        String what = "image " + image.reference();
        Optional<UidRange> users = Optional.empty();
        if (context.config().userNamespace()) {
            users = Optional.of(new UidRangeClaims(context.config().stateDir()).claim(context.machine()));
            JobDirectory.shiftOwnership(users.get(), paths.upperDir(), paths.exchangeDir(), paths.helperUpperDir(), paths.buildsDir());
        }
        List<String> helperNetwork = List.of("--private-network"); // its stages enter the image container's network
        TransientService container = service(image.rootfs(), what, Optional.of(new NspawnCommand.Holder(bash, paths.buildsDir(), false)),
                tools, limits, users, network.nspawnOptions(), grants);
        TransientService helper = service(helperChroot.directory(), "helper of " + what + " (chroot " + helperChroot.name() + ")",
                Optional.of(new NspawnCommand.Holder(helperBash, paths.buildsDir(), true)), tools, limits, users, helperNetwork, grants);
        if (users.isEmpty()) {
            units.startAllAndWait(List.of(container, helper));
            return;
        }
        try (IdmappedLower lower = IdmappedLower.mount(image.rootfs(), paths.lowerDir(), users.get());
                IdmappedLower helperLower = IdmappedLower.mount(helperChroot.directory(), paths.helperLowerDir(), users.get())) {
            units.startAllAndWait(List.of(container, helper));
        }
    }

    private Chroot prepare(ChrootName name, ResourceLimits limits, Profile profile, ChrootStore chroots, ContainerTools tools,
            CleanupJob cleanup) {
        JobPaths paths = context.paths();
        try {
            JobDirectory.createPrivate(paths.exchangeDir());
            ProfileGrants grants = grants(profile);
            Chroot chroot = chroots.acquire(name, paths.jobDir());
            JobDirectory.createRoot(paths.upperDir(), chroot.directory());
            if (context.config().leanBoot()) {
                JobBootProfile.write(paths.upperDir(), chroot.directory());
            }
            if (profile.containerEngines()) {
                ContainerEngines.prepare(paths, chroot.directory());
            }
            JobNetwork network = new JobNetwork(context, log);
            network.reserve();
            try {
                boot(chroot.directory(), "chroot " + chroot.name(), tools, limits, network, grants);
            } finally {
                // its rules load while the container boots; cleanup must not race them
                network.awaitRules();
            }
            network.attach(machines);
            StageTarget.of(context, limits).write(StageTarget.fileOf(context));
            return chroot;
        } catch (SystemdException | ExecutorException e) {
            showConsoleTail(paths.consoleLog());
            try {
                cleanup.runLocked();
            } catch (ExecutorException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw ExecutorException.system("cannot start " + context.describe() + " on chroot " + name
                    + ": " + e.getMessage(), e);
        }
    }

    private ProfileGrants grants(Profile profile) {
        List<JobDevice> devices = new DeviceMatcher(log, context.describe()).resolve(profile);
        new DeviceClaims(DeviceClaims.DEFAULT_DIR).claim(context.machine(), devices, context.config().deviceWait(), log,
                context.describe());
        return new ProfileGrants(profile, devices, context.paths());
    }

    /** Starts the container; with a user namespace, over an idmapped chroot that is mounted only meanwhile. */
    private void boot(Path base, String what, ContainerTools tools, ResourceLimits limits, JobNetwork network, ProfileGrants grants) {
        JobPaths paths = context.paths();
        if (!context.config().userNamespace()) {
            units.startAndWait(service(base, what, Optional.empty(), tools, limits, Optional.empty(), network.nspawnOptions(), grants));
            return;
        }
        UidRange users = new UidRangeClaims(context.config().stateDir()).claim(context.machine());
        JobDirectory.shiftOwnership(users, paths.upperDir(), paths.exchangeDir());
        try (IdmappedLower lower = IdmappedLower.mount(base, paths.lowerDir(), users)) {
            units.startAndWait(service(base, what, Optional.empty(), tools, limits, Optional.of(users), network.nspawnOptions(), grants));
        }
    }

    private TransientService service(Path base, String what, Optional<NspawnCommand.Holder> holder, ContainerTools tools,
            ResourceLimits limits, Optional<UidRange> users, List<String> networkOptions, ProfileGrants grants) {
        Optional<Path> cache = context.job().projectId().isPresent()
                ? Optional.of(context.config().cachesDir().resolve("project-" + context.job().projectId().getAsLong()))
                : Optional.empty();
        cache.ifPresent(dir -> JobDirectory.createPrivate(context.config().cachesDir(), dir));
        Optional<Path> gitlabRunner = Optional.of(context.config().gitlabRunnerBinary()).filter(Files::isRegularFile);
        NspawnCommand nspawn = new NspawnCommand(tools.nspawn(), context.machine(), base, context.paths(), users,
                cache, gitlabRunner, tools.clientJar(), holder);
        List<String> command = new ArrayList<>(nspawn.argv());
        command.addAll(networkOptions);
        command.addAll(grants.nspawnOptions(users.isPresent()));
        command.addAll(nspawn.payload());
        boolean helper = holder.filter(NspawnCommand.Holder::helper).isPresent();
        return new TransientService((helper ? context.machine().helper() : context.machine()).unit(),
                "nspawn-runner job " + context.job().jobId() + " on " + what,
                command, context.config().prepareTimeout(), helper ? context.paths().helperConsoleLog() : context.paths().consoleLog(),
                ContainerResources.of(limits, grants.deviceAllow()),
                // an image job's containers (holders) in the job's slice, under its limits as well as their own
                holder.isPresent() ? context.machine().slice() : TransientService.MACHINE_SLICE);
    }

    private void showConsoleTail(Path consoleLog) {
        try {
            List<String> lines = Files.readAllLines(consoleLog);
            lines.subList(Math.max(0, lines.size() - CONSOLE_LINES_ON_FAILURE), lines.size())
                    .forEach(line -> log.info("console of " + context.machine() + ": " + line));
        } catch (IOException e) {
            // no console output to show: the unit failed before nspawn wrote any
        }
    }
}
