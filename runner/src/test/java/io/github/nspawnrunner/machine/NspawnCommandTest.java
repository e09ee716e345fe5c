package io.github.nspawnrunner.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.chroot.Chroot;
import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.executor.JobResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NspawnCommandTest {
    private final MachineName machine = MachineName.of("nsr", new JobResponse(5, OptionalLong.empty()));
    private final Chroot chroot = new Chroot(new ChrootName("bookworm"), Path.of("/c/bookworm"));
    private final JobPaths paths = JobPaths.of(Path.of("/s/jobs"), machine);

    @Test
    void bootsAReadOnlyChrootUnderTheJobsOverlay() {
        List<String> argv = new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, chroot.directory(), paths,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()).argv();
        assertEquals("/usr/bin/systemd-nspawn", argv.get(0));
        assertTrue(argv.containsAll(List.of("--boot", "--notify-ready=yes", "--keep-unit", "--machine=nsr-5",
                "--directory=/c/bookworm", "--read-only", "--overlay=/c/bookworm:/s/jobs/nsr-5/upper:/",
                "--bind=/s/jobs/nsr-5/exchange:/run/nspawn-runner", "--link-journal=no")), argv.toString());
        assertTrue(argv.stream().noneMatch(arg -> arg.contains("/cache") || arg.contains("gitlab-runner")), argv.toString());
        assertTrue(argv.stream().noneMatch(arg -> arg.startsWith("--private-users")), argv.toString());
    }

    @Test
    void anImageJobsContainerIsNotBootedButHoldsItsNamespacesWithTheImagesBashAfterEveryOption() {
        NspawnCommand command = new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, Path.of("/i/rootfs"), paths,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new NspawnCommand.Holder("/usr/bin/bash", paths.buildsDir(), false)));
        assertTrue(command.argv().stream().noneMatch(arg -> arg.equals("--boot") || arg.startsWith("--notify-ready")
                || arg.equals("--")), command.argv().toString());
        assertEquals(List.of("--as-pid2", "--", "/usr/bin/bash", "-c", NspawnCommand.HOLDER_SCRIPT), command.payload());
        assertTrue(command.argv().containsAll(List.of("--machine=nsr-5", "--bind=/s/jobs/nsr-5/builds:/builds")), command.argv().toString());
        assertEquals(List.of(), new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, chroot.directory(), paths,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()).payload());
    }

    @Test
    void anImageJobsHelperIsAMachineOfItsOwnOnItsOwnOverlayWithTheSameBuildsAndCache() {
        UidRange users = new UidRange(0x70000000L + 3 * UidRange.SIZE);
        NspawnCommand command = new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, chroot.directory(), paths,
                Optional.of(users), Optional.of(Path.of("/s/cache/project-3")), Optional.empty(), Optional.empty(),
                Optional.of(new NspawnCommand.Holder("/bin/bash", paths.buildsDir(), true)));
        assertTrue(command.argv().containsAll(List.of("--machine=nsr-5-helper", "--directory=/c/bookworm",
                "--overlay=/s/jobs/nsr-5/helper-lower:/s/jobs/nsr-5/helper-upper:/", "--bind=/s/jobs/nsr-5/builds:/builds",
                "--bind=/s/cache/project-3:/cache:idmap", "--bind=/s/jobs/nsr-5/exchange:/run/nspawn-runner",
                "--private-users=" + 0x70030000L + ":65536")), command.argv().toString());
        assertEquals(List.of("--as-pid2", "--", "/bin/bash", "-c", NspawnCommand.HOLDER_SCRIPT), command.payload());
    }

    @Test
    void withAUserNamespaceTheOverlayIsOverTheIdmappedLowerAndTheCacheIsIdmapped() {
        UidRange users = new UidRange(0x70000000L + 3 * UidRange.SIZE);
        List<String> argv = new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, chroot.directory(), paths,
                Optional.of(users), Optional.of(Path.of("/s/cache/project-3")), Optional.empty(), Optional.empty()).argv();
        assertTrue(argv.containsAll(List.of("--private-users=" + 0x70030000L + ":65536", "--private-users-ownership=off",
                "--directory=/c/bookworm", "--read-only", "--overlay=/s/jobs/nsr-5/lower:/s/jobs/nsr-5/upper:/",
                "--bind=/s/cache/project-3:/cache:idmap")), argv.toString());
    }

    @Test
    void bindsCacheGitlabRunnerAndTheLavaClientWhenThere() {
        List<String> argv = new NspawnCommand(Path.of("/usr/bin/systemd-nspawn"), machine, chroot.directory(), paths,
                Optional.empty(), Optional.of(Path.of("/s/cache/project-3")), Optional.of(Path.of("/usr/bin/gitlab-runner")),
                Optional.of(Path.of("/opt/nspawn-runner/lib/nspawn-runner-lava.jar"))).argv();
        assertTrue(argv.contains("--bind=/s/cache/project-3:/cache"), argv.toString());
        assertTrue(argv.contains("--bind-ro=/opt/nspawn-runner/lib/nspawn-runner-lava.jar:/usr/share/nspawn-runner/nspawn-runner-lava.jar"),
                argv.toString());
        // chroots built before the client had its own jar run it as nspawn-runner.jar's `lava submit`
        assertTrue(argv.contains("--bind-ro=/opt/nspawn-runner/lib/nspawn-runner-lava.jar:/usr/share/nspawn-runner/nspawn-runner.jar"),
                argv.toString());
        assertTrue(argv.contains("--bind-ro=/usr/bin/gitlab-runner:/usr/local/bin/gitlab-runner"), argv.toString());
    }
}
