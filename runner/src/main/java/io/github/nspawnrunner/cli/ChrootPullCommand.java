package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.chroot.PulledImage;
import io.github.nspawnrunner.image.ImageReference;
import io.github.nspawnrunner.image.JobCredentials;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = {"Install an OCI image (one 'chroot push' published) as a new version of a chroot.",
        "The chroot is switched to it atomically, as by an upgrade: running jobs finish on their version.",
        "Credentials come from the environment (DOCKER_AUTH_CONFIG, or CI_REGISTRY, CI_REGISTRY_USER and CI_REGISTRY_PASSWORD)."})
final class ChrootPullCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", paramLabel = "REFERENCE", description = "The image, such as registry.example.com/fleet/bookworm:2026.11.")
    String reference;

    @Parameters(index = "1", paramLabel = "NAME", description = "The chroot's name, as jobs choose it with image:.")
    String nameText;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImageReference source = ImageReference.tryParse(reference).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), ImageReference.problem(reference)));
        ChrootName name = ChrootNameParameter.parse(spec, nameText);
        Session session = options.session();
        PulledImage pulled = ChrootCommand.images(session).pull(source, name,
                JobCredentials.from(session.environment().variables()).forRegistry(source.registry()));
        session.out().println(pulled.reference() + "@" + pulled.digest() + " " + pulled.version());
        return 0;
    }
}
