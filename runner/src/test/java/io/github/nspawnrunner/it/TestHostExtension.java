package io.github.nspawnrunner.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a {@link Host}: one test host booted for the whole test run, shut down
 * at its end. The root filesystems come from system properties that bin/test sets.
 */
public final class TestHostExtension implements ParameterResolver {
    public static final String DEFAULT_CHROOT = "bookworm";
    /** The same root filesystem under a second name, for jobs that choose their chroot. */
    public static final String SECOND_CHROOT = "bookworm-second";
    /** The job chroot plus podman (bin/cached-rootfs podman), for container engines inside a job. */
    public static final String PODMAN_CHROOT = "podman";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestHostExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        // TestHost for tests of what only the test host has (its outside network, enforced limits)
        return parameter.getParameter().getType() == Host.class || parameter.getParameter().getType() == TestHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("host", key -> new Booted(boot()), Booted.class).host();
    }

    public static Path chrootRootfs() {
        return Path.of(property("it.chroot.rootfs"));
    }

    private static TestHost boot() {
        Path project = Path.of(property("it.project.dir"));
        Path work = project.resolve("target/it");
        try {
            new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()).inheritIO().start().waitFor();
            Path chroot = chrootRootfs();
            Map<String, Path> chroots = new LinkedHashMap<>(extraChroots());
            chroots.put(DEFAULT_CHROOT, chroot);
            chroots.put(SECOND_CHROOT, chroot);
            return TestHost.boot(Path.of(property("it.testhost.rootfs")), project, chroots, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * More chroots by name, from it.extra.chroots ("name=dir,name=dir"; bin/test sets podman, and
     * whatever else bin/cached-rootfs builds when NSPAWN_RUNNER_IT_CHROOTS names it).
     */
    static Map<String, Path> extraChroots() {
        Map<String, Path> chroots = new LinkedHashMap<>();
        for (String entry : System.getProperty("it.extra.chroots", "").split(",")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                chroots.put(entry.substring(0, equals).strip(), Path.of(entry.substring(equals + 1).strip()));
            }
        }
        return chroots;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the integration tests with bin/test");
        }
        return value;
    }

    private record Booted(TestHost host) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            host.close();
        }
    }
}
