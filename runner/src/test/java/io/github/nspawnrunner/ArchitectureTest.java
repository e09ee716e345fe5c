package io.github.nspawnrunner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.github.nspawnrunner.host.Installation;

/**
 * The README's layout as rules: commands → domain → adapters, one way. The LAVA client's classes
 * are on the classpath too; that they never reach the executor's packages needs no rule: its module
 * (lava-client) cannot see them. Its own rules are in its LavaArchitectureTest.
 */
@AnalyzeClasses(packages = "io.github.nspawnrunner",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {
    private static final String[] CLI = {"io.github.nspawnrunner.cli..", "io.github.nspawnrunner.lava.cli.."};
    private static final String[] DOMAIN = {"io.github.nspawnrunner.machine..", "io.github.nspawnrunner.chroot..",
            "io.github.nspawnrunner.network..", "io.github.nspawnrunner.config..", "io.github.nspawnrunner.service..",
            "io.github.nspawnrunner.setup..", "io.github.nspawnrunner.lava", "io.github.nspawnrunner.image.."};
    private static final String[] ADAPTERS = {"io.github.nspawnrunner.systemd..", "io.github.nspawnrunner.host..",
            "io.github.nspawnrunner.executor..", "io.github.nspawnrunner.failure..", "io.github.nspawnrunner.common.."};

    @ArchTest
    static final ArchRule onlyTheCommandsKnowPicocli = noClasses().that().resideOutsideOfPackages(concat(CLI, new String[] {"io.github.nspawnrunner"}))
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule nothingDependsOnTheCommands = noClasses().that().resideInAnyPackage(concat(DOMAIN, ADAPTERS))
            .should().dependOnClassesThat().resideInAnyPackage(CLI);

    @ArchTest
    static final ArchRule adaptersDoNotReachIntoTheDomain = noClasses().that().resideInAnyPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN);

    /** Process-wide facts are found by the commands and handed down, so the domain can be run with others. */
    @ArchTest
    static final ArchRule theDomainIsHandedTheInstallation = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().callMethod(Installation.class, "current");

    /** The lava-client module's test classes come as a jar once it is packaged (FakeLavaServer for SecretsIT). */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
