package io.github.nspawnrunner.cli;

import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.config.RunnerConfig;
import io.github.nspawnrunner.host.Installation;
import io.github.nspawnrunner.setup.DependencyInstaller;
import io.github.nspawnrunner.setup.HostCheck;
import io.github.nspawnrunner.setup.HostInspector;
import io.github.nspawnrunner.setup.RunnerBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "setup", description = {"Check this host and get it ready to run jobs.",
        "Optionally installs what is missing, builds the default chroot, installs the executor service (unless the"
                + " Debian package did), and prints the [[runners]] block for gitlab-runner's config.toml."})
final class SetupCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--install-deps", description = "apt-get install the host packages that are missing.")
    boolean installDeps;

    @Option(names = "--no-chroot", description = "Do not build the default chroot.")
    boolean noChroot;

    @Option(names = "--no-service", description = {"Do not install the executor service.",
            "Config, prepare and cleanup then start a JVM each (slower; see 'nspawn-runner service --help')."})
    boolean noService;

    @Option(names = "--write-runner-config", paramLabel = "FILE",
            description = "Append the [[runners]] block to FILE (e.g. /etc/gitlab-runner/config.toml) unless it has one.")
    Path runnerConfig;

    @Override
    public Integer call() {
        Session session = options.session();
        RunnerConfig config = session.config();
        HostInspector inspector = new HostInspector(Path.of("/proc"), session.environment().variables().get("PATH"));
        List<HostCheck> checks = inspector.inspect(config.chrootsDir(), config.stateDir());
        List<String> packages = checks.stream().filter(c -> !c.ok()).flatMap(c -> c.fixingPackage().stream()).distinct().toList();
        if (installDeps && !packages.isEmpty()) {
            session.log().info("installing " + String.join(" ", packages));
            new DependencyInstaller().install(packages);
            checks = inspector.inspect(config.chrootsDir(), config.stateDir());
        }
        checks.forEach(check -> print(session, check));
        long failed = checks.stream().filter(c -> !c.ok()).count();
        if (failed > 0) {
            session.log().info(failed + " of " + checks.size()
                    + " checks failed: this host cannot run jobs until they are fixed");
            return 1;
        }
        ChrootName chroot = ChrootName.parse(config.defaultChroot()).orElseThrow();
        if (!noChroot && !Files.isDirectory(config.chrootsDir().resolve(chroot.value()))) {
            session.log().info("building the default chroot '" + chroot + "' (about a minute)");
            ChrootCommand.manager(session).create(chroot, "bookworm", List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        Installation installation = Installation.current();
        if (installation.packaged()) {
            session.log().info("the executor service comes with the Debian package: nothing to install");
        } else if (!noService) {
            ServiceCommand.install(session);
        }
        String block = new RunnerBlock(installation.launcher()).toToml();
        if (runnerConfig == null) {
            session.out().print(block);
        } else {
            writeOnce(session, runnerConfig, block);
        }
        return 0;
    }

    private static void print(Session session, HostCheck check) {
        String line = (check.ok() ? "  ok    " : "  FAIL  ") + check.what()
                + (check.detail().isEmpty() ? "" : ": " + check.detail())
                + (check.ok() ? "" : " -> " + check.fix());
        session.log().stream().println(line);
    }

    private static void writeOnce(Session session, Path file, String block) {
        try {
            String existing = Files.exists(file) ? Files.readString(file) : "";
            if (existing.contains("prepare_args = [\"prepare\"]")) {
                session.log().info(file + " already has a custom executor block; not changed");
                return;
            }
            Files.writeString(file, (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n") + "\n" + block,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            session.log().info("added the [[runners]] block to " + file + ": set its url and token");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
