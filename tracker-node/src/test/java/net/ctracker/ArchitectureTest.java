package net.ctracker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the protocol core plain Java (so the same code runs in the simulator and in production)
 * and the packages free of cycles.
 */
class ArchitectureTest {

    private static final String[] PLAIN = {
            "net.ctracker.bencode..", "net.ctracker.swarm..", "net.ctracker.overlay..",
            "net.ctracker.locality..", "net.ctracker.partial..", "net.ctracker.time.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("net.ctracker");

    @Test
    void corePackagesKnowNothingOfSpringSocketsHttpOrMetrics() {
        noClasses().that().resideInAnyPackage(PLAIN)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.micrometer..", "io.netty..", "jakarta.servlet..",
                        "java.net.http..", "java.nio.channels..", "org.apache.catalina..", "net.ctracker.config..",
                        "net.ctracker.announce..", "net.ctracker.transport..", "net.ctracker.admin..",
                        "net.ctracker.metrics..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .because("the core must run unchanged inside the deterministic simulator")
                .check(classes);
    }

    @Test
    void coreDoesNotReadTheWallClockOrMakeItsOwnRandomness() {
        noClasses().that().resideInAnyPackage(PLAIN).and().doNotHaveSimpleName("Clock").and().doNotHaveSimpleName("ExecutorScheduler")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("time and randomness are parameters of the core")
                .check(classes);
    }

    @Test
    void udpTrackerProtocolIsPlainJavaWithTimeAndRandomnessAsParameters() {
        noClasses().that().resideInAPackage("net.ctracker.announce.udp..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.micrometer..", "io.netty..", "java.nio.channels..",
                        "net.ctracker.config..", "net.ctracker.metrics..", "net.ctracker.publicport..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callConstructor(java.util.Random.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("the BEP 15 codec and connection IDs are tested without sockets or clocks")
                .check(classes);
    }

    @Test
    void overlayKeepsOffTheNetworkApiEntirely() {
        noClasses().that().resideInAnyPackage("net.ctracker.overlay..", "net.ctracker.time..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..")
                .because("the overlay reaches the network only through its Transport interface")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("net.ctracker.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("net.ctracker.overlay.(*)..").should().beFreeOfCycles().check(classes);
    }
}
