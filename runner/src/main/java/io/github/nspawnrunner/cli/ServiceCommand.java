package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.failure.ExecutorException;
import io.github.nspawnrunner.host.ClassDataArchive;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.service.ServiceFiles;
import io.github.nspawnrunner.service.ServiceInstaller;
import io.github.nspawnrunner.systemd.SystemBus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "service", description = {"Run config, prepare and cleanup in the executor service, one resident JVM.",
        "The executor service answers gitlab-runner's config, prepare and cleanup calls, so each costs a busctl call"
                + " instead of a JVM start. The Debian package installs it; from a checkout, 'service install' does."},
        subcommands = {ServiceRunCommand.class, ServiceCommand.Install.class, ServiceCommand.Remove.class})
final class ServiceCommand extends GroupCommand {
    /** Runs ACTION with the service files of this installation. */
    private static void withInstaller(Consumer<ServiceInstaller> action) {
        Installation installation = Installation.current();
        if (installation.jar().isEmpty()) {
            throw ExecutorException.system("the service runs from an installed jar: run bin/nspawn-runner, not the classes");
        }
        try (SystemBus bus = SystemBus.connect()) {
            action.accept(new ServiceInstaller(new ServiceFiles(Path.of("/"), installation.launcher(),
                    Path.of(System.getProperty("java.home"))), bus));
        }
    }

    /** For setup: installs the service and says so. */
    static void install(Session session) {
        Installation installation = Installation.current();
        installation.jar().ifPresent(jar -> {
            // a tree built elsewhere: the archive names the jar's old path, and every call would start without it
            ClassDataArchive archive = new ClassDataArchive(jar, Path.of(System.getProperty("java.home")));
            if (archive.rebuildIfStale(installation)) {
                session.log().info("rebuilt the class-data archive " + archive.file() + " for the jar where it is now");
            }
        });
        withInstaller(ServiceInstaller::install);
        session.log().info("installed " + ServiceFiles.UNIT + " (the executor service): it starts with the next call");
    }

    /**
     * Install and remove change the service's files, which the Debian package owns where it
     * installed them: there each says so and leaves them.
     */
    private abstract static class ServiceFilesCommand implements Callable<Integer> {
        @CommandLine.Mixin
        CommonOptions options;

        @Override
        public final Integer call() {
            Session session = options.session();
            if (Installation.current().packaged()) {
                packaged(session);
            } else {
                change(session);
            }
            return 0;
        }

        abstract void packaged(Session session);

        abstract void change(Session session);
    }

    @Command(name = "install", description = {"Install the service's systemd unit and bus policy, enable it at boot, and stop an old one still running.",
            "From then on bin/nspawn-runner hands config, prepare and cleanup to it, starting it when needed."
                    + " Not needed with the Debian package, which installs them."})
    static final class Install extends ServiceFilesCommand {
        @Override
        void packaged(Session session) {
            session.log().info("the Debian package installed the executor service already: nothing to do");
        }

        @Override
        void change(Session session) {
            install(session);
        }
    }

    @Command(name = "remove", description = "Stop the service and remove its files: calls run in a JVM of their own again.")
    static final class Remove extends ServiceFilesCommand {
        @Override
        void packaged(Session session) {
            throw ExecutorException.system("the executor service belongs to the Debian package: "
                    + "'apt remove nspawn-runner' removes it");
        }

        @Override
        void change(Session session) {
            withInstaller(ServiceInstaller::remove);
            session.log().info("removed " + ServiceFiles.UNIT + " and its bus files");
        }
    }
}
