package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.image.Image;
import io.github.nspawnrunner.image.JobCredentials;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = {
    "Pull an image into the image store as a job would: the same policy, pull_policy and credentials.",
    "Credentials come from the environment, never from options (a command line is readable by every user):"
            + " DOCKER_AUTH_CONFIG, or CI_REGISTRY, CI_REGISTRY_USER and CI_REGISTRY_PASSWORD.",
    "Prints the digest and the unpacked root filesystem."})
final class ImagePullCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "REFERENCE", description = "An image reference such as debian:12 or registry.example.com/team/env@sha256:....")
    String reference;

    @Override
    public Integer call() {
        Session session = options.session();
        JobCredentials credentials = JobCredentials.from(session.environment().variables());
        Image image = ImageCommand.store(session).acquire(reference, credentials, Optional.empty());
        session.out().println(image.digest() + " " + image.rootfs());
        return 0;
    }
}
