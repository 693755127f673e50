package net.ctracker.overlay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Keeps the overlay core plain Java: no Spring, sockets, HTTP clients or Micrometer, no hidden
 * clock, randomness or sleeping, and no package cycles. Time, randomness and the network reach it
 * only as parameters, which is what lets the simulator run the same code.
 */
class OverlayArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("net.ctracker.overlay", "net.ctracker.time");

    @Test
    void coreUsesNoFrameworksOrNetwork() {
        noClasses().that().resideInAnyPackage("net.ctracker.overlay..", "net.ctracker.time..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.micrometer..", "io.netty..", "java.net..", "java.net.http..",
                        "jakarta.servlet..", "org.apache..")
                .check(CORE);
    }

    @Test
    void overlayTakesTimeAndRandomnessAsParameters() {
        noClasses().that().resideInAPackage("net.ctracker.overlay..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .check(CORE);
    }

    @Test
    void overlayPackagesHaveNoCycles() {
        slices().matching("net.ctracker.(overlay)..").should().beFreeOfCycles().check(CORE);
        slices().matching("net.ctracker.overlay.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
