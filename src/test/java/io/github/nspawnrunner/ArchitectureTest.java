package io.github.nspawnrunner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.github.nspawnrunner.host.Installation;

/** The README's layout as rules: commands → domain → adapters, one way. */
@AnalyzeClasses(packages = "io.github.nspawnrunner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String CLI = "io.github.nspawnrunner.cli..";
    private static final String[] DOMAIN = {"io.github.nspawnrunner.machine..", "io.github.nspawnrunner.chroot..",
            "io.github.nspawnrunner.network..", "io.github.nspawnrunner.config..", "io.github.nspawnrunner.service..",
            "io.github.nspawnrunner.setup..", "io.github.nspawnrunner.lava..", "io.github.nspawnrunner.image.."};
    private static final String[] ADAPTERS = {"io.github.nspawnrunner.systemd..", "io.github.nspawnrunner.host..",
            "io.github.nspawnrunner.executor.."};

    @ArchTest
    static final ArchRule onlyTheCommandsKnowPicocli = noClasses().that().resideOutsideOfPackages(CLI, "io.github.nspawnrunner")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule nothingDependsOnTheCommands = noClasses().that().resideInAnyPackage(concat(DOMAIN, ADAPTERS))
            .should().dependOnClassesThat().resideInAPackage(CLI);

    @ArchTest
    static final ArchRule adaptersDoNotReachIntoTheDomain = noClasses().that().resideInAnyPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN);

    @ArchTest
    static final ArchRule theLavaClientStandsApartFromTheExecutor = noClasses().that().resideInAPackage("io.github.nspawnrunner.lava..")
            .should().dependOnClassesThat().resideInAnyPackage("io.github.nspawnrunner.machine..", "io.github.nspawnrunner.chroot..",
                    "io.github.nspawnrunner.network..", "io.github.nspawnrunner.config..", "io.github.nspawnrunner.service..",
                    "io.github.nspawnrunner.setup..", "io.github.nspawnrunner.systemd..", "io.github.nspawnrunner.host..");

    /** Process-wide facts are found by the commands and handed down, so the domain can be run with others. */
    @ArchTest
    static final ArchRule theDomainIsHandedTheInstallation = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().callMethod(Installation.class, "current");

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
