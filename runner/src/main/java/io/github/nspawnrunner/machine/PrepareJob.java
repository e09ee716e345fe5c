package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.chroot.Chroot;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.ChrootStore;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.config.ResourceLimits;
import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.common.Log;
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
        CleanupJob cleanup = new CleanupJob(context, units, machines, log);
        if (cleanup.anythingLeft()) {
            log.info("removing what an earlier attempt left of " + context.describe());
            cleanup.run();
        }
        JobPaths paths = context.paths();
        JobDirectory.createPrivate(context.config().jobsDir());
        // held until prepare returns: the orphan collector leaves a job alone while it is prepared
        JobLabels labels = new JobLabels(context.job().projectId(), name.value(), profile.name(), Optional.of(Instant.now()));
        try (JobLock ignored = JobDirectory.createLocked(paths.jobDir(), JobOrigin.of(context, BootId.current(), labels))) {
            return prepare(name, limits, profile, chroots, tools, cleanup);
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
                boot(chroot, tools, limits, network, grants);
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
    private void boot(Chroot chroot, ContainerTools tools, ResourceLimits limits, JobNetwork network, ProfileGrants grants) {
        JobPaths paths = context.paths();
        if (!context.config().userNamespace()) {
            units.startAndWait(service(chroot, tools, limits, Optional.empty(), network, grants));
            return;
        }
        UidRange users = new UidRangeClaims(context.config().stateDir()).claim(context.machine());
        JobDirectory.shiftOwnership(users, paths.upperDir(), paths.exchangeDir());
        try (IdmappedLower lower = IdmappedLower.mount(chroot.directory(), paths.lowerDir(), users)) {
            units.startAndWait(service(chroot, tools, limits, Optional.of(users), network, grants));
        }
    }

    private TransientService service(Chroot chroot, ContainerTools tools, ResourceLimits limits, Optional<UidRange> users,
            JobNetwork network, ProfileGrants grants) {
        Optional<Path> cache = context.job().projectId().isPresent()
                ? Optional.of(context.config().cachesDir().resolve("project-" + context.job().projectId().getAsLong()))
                : Optional.empty();
        cache.ifPresent(dir -> JobDirectory.createPrivate(context.config().cachesDir(), dir));
        Optional<Path> gitlabRunner = Optional.of(context.config().gitlabRunnerBinary()).filter(Files::isRegularFile);
        List<String> command = new ArrayList<>(new NspawnCommand(tools.nspawn(), context.machine(), chroot, context.paths(), users,
                cache, gitlabRunner, tools.clientJar()).argv());
        command.addAll(network.nspawnOptions());
        command.addAll(grants.nspawnOptions(users.isPresent()));
        return new TransientService(context.machine().unit(),
                "nspawn-runner job " + context.job().jobId() + " on chroot " + chroot.name(),
                command, context.config().prepareTimeout(), context.paths().consoleLog(),
                ContainerResources.of(limits, grants.deviceAllow()));
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
