package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.ConfigException;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.image.ChrootImages;
import io.github.nspawnrunner.image.ImageReference;
import io.github.nspawnrunner.image.JobCredentials;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "follow", description = {"Keep a chroot at the image a tag names: 'chroot pull' only when the tag moved.",
        "One manifest request when nothing changed (no new version, no switch); otherwise the image becomes a new version,"
                + " switched to atomically: running jobs finish on theirs. The timer nspawn-runner-chroot-follow@NAME.timer"
                + " runs it.",
        "The image is REFERENCE, or the chroot's entry in the config's [chroot_follow] table.",
        "Credentials come from the environment (DOCKER_AUTH_CONFIG, or CI_REGISTRY, CI_REGISTRY_USER and CI_REGISTRY_PASSWORD);"
                + " the timer's service reads them from /etc/nspawn-runner/registry.env."})
final class ChrootFollowCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    ChrootNameParameter chroot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REFERENCE",
            description = "The image, such as registry.example.com/fleet/bookworm:stable (default: [chroot_follow]'s NAME).")
    String reference;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The file the config came from, as ConfigLoader chooses it, for the message that says what to add there. */
    private static String configFile(Session session) {
        if (session.configFile() != null) {
            return session.configFile().toString();
        }
        return session.environment().variables().getOrDefault("NSPAWN_RUNNER_CONFIG", RunnerConfig.DEFAULT_FILE.toString());
    }

    @Override
    public Integer call() {
        var name = chroot.name();
        Session session = options.session();
        RunnerConfig config = session.config();
        ImageReference source;
        if (reference != null) {
            source = ImageReference.tryParse(reference).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), ImageReference.problem(reference)));
        } else {
            String followed = config.chrootFollow().get(name.value());
            if (followed == null) {
                throw new ConfigException("chroot '" + name + "' follows no image: add " + name
                        + " = \"registry.example.com/fleet/" + name + ":stable\" to the [chroot_follow] table of "
                        + configFile(session)
                        + ", or name the image: nspawn-runner chroot follow " + name + " REFERENCE");
            }
            source = ImageReference.tryParse(followed).orElseThrow(() -> new ConfigException(
                    "invalid chroot_follow." + name + ": " + ImageReference.problem(followed)));
        }
        ChrootImages.Followed followed = ChrootCommand.images(session).follow(source, name,
                JobCredentials.from(session.environment().variables()).forRegistry(source.registry()));
        session.out().println(followed.image().reference() + "@" + followed.image().digest() + " " + followed.image().version());
        return 0;
    }
}
