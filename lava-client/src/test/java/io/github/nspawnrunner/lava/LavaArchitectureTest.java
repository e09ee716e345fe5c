package io.github.nspawnrunner.lava;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The LAVA client's layout: its command line (lava.cli) over the client (lava). Whatever it does not
 * see it cannot use: the executor's packages are in another module, which this one does not depend on.
 */
@AnalyzeClasses(packages = "io.github.nspawnrunner", importOptions = ImportOption.DoNotIncludeTests.class)
class LavaArchitectureTest {
    @ArchTest
    static final ArchRule onlyTheCommandLineKnowsPicocli = noClasses().that().resideInAPackage("io.github.nspawnrunner.lava")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule theClientDoesNotDependOnItsCommandLine = noClasses().that().resideInAPackage("io.github.nspawnrunner.lava")
            .should().dependOnClassesThat().resideInAPackage("io.github.nspawnrunner.lava.cli..");
}
