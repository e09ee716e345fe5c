package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootStore;
import io.github.nspawnrunner.host.FileTrees;
import io.github.nspawnrunner.image.ImageConfig;
import io.github.nspawnrunner.image.ImageReference;
import io.github.nspawnrunner.image.JobCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = {"Publish the chroot's current version as an OCI image, for 'chroot pull' on other hosts.",
        "Credentials come from the environment (DOCKER_AUTH_CONFIG, or CI_REGISTRY, CI_REGISTRY_USER and CI_REGISTRY_PASSWORD)."})
final class ChrootPushCommand implements Callable<Integer> {
    private static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    @Mixin
    CommonOptions options;

    @Mixin
    ChrootNameParameter chroot;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "Where to publish it, such as registry.example.com/fleet/bookworm:2026.11.")
    String reference;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var name = chroot.name();
        ImageReference target = ImageReference.tryParse(reference).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), ImageReference.problem(reference)));
        Session session = options.session();
        var config = session.config();
        Path version = new ChrootStore(config.chrootsDir()).require(name).directory();
        Path work = config.chrootsDir().resolve(".push-" + ProcessHandle.current().pid());
        try {
            FileTrees.remove(work);
            Files.createDirectories(work);
            session.log().info("publishing chroot '" + name + "' (" + version.getFileName() + ") as " + target);
            String digest = ImageCommand.registry().publish(version, target,
                    JobCredentials.from(session.environment().variables()).forRegistry(target.registry()),
                    new ImageConfig(ENV, "/", ""), work, line -> session.log().info(line));
            session.out().println(target.name() + "@" + digest);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + work + ": " + e.getMessage(), e);
        } finally {
            try {
                FileTrees.remove(work);
            } catch (IOException e) {
                session.log().info("could not remove " + work + ": " + e.getMessage());
            }
        }
    }
}
