package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.host.Flock;
import io.github.nspawnrunner.host.Skopeo;
import io.github.nspawnrunner.host.Umoci;
import io.github.nspawnrunner.image.ImageStore;
import io.github.nspawnrunner.image.ToolRegistry;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;

@Command(name = "image", description = "Pull and list the OCI images jobs may run on (image_registries, images_allowed).",
        subcommands = {ImagePullCommand.class, ImageListCommand.class})
final class ImageCommand extends GroupCommand {
    /** Where auth files live while skopeo reads them: memory, root's only, gone at reboot. */
    static final Path RUNTIME_DIR = Path.of("/run/nspawn-runner/images");

    static ImageStore store(Session session) {
        RunnerConfig config = session.config();
        return new ImageStore(config.imagesDir(), config.images(), registry(), config.jobsDir(), Flock.load(),
                line -> session.log().info(line), Clock.systemUTC());
    }

    static ToolRegistry registry() {
        return new ToolRegistry(Skopeo.onPath(), Umoci.onPath(), RUNTIME_DIR);
    }
}
