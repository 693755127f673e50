package net.ctracker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.SplittableRandom;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the protocol core plain Java (so the same code runs in the simulator and in production),
 * its time and randomness parameters, the read-only views off the transport, and the packages free
 * of cycles. Every package listed as plain must exist and hold classes: a rule over a package that
 * is not there would pass without checking anything.
 */
class ArchitectureTest {

    /** The plain-Java core; every package listed must exist. */
    private static final String[] PLAIN = {
            "net.ctracker.bencode..", "net.ctracker.swarm..", "net.ctracker.overlay..", "net.ctracker.time..",
            "net.ctracker.announce..", "net.ctracker.locality..", "net.ctracker.partial..", "net.ctracker.cluster.."};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("net.ctracker");

    @Test
    void everyPlainPackageExistsAndHoldsClasses() {
        for (String pkg : PLAIN) {
            String name = pkg.substring(0, pkg.length() - 2);
            assertThat(classes.stream().filter(c -> c.getPackageName().equals(name)).count())
                    .as("classes in %s (a listed plain package must exist)", name).isPositive();
        }
    }

    @Test
    void corePackagesKnowNothingOfSpringSocketsHttpOrMetrics() {
        noClasses().that().resideInAnyPackage(PLAIN)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.micrometer..", "io.netty..", "jakarta.servlet..", "org.slf4j..",
                        "java.net.http..", "java.nio.channels..", "org.apache.catalina..", "net.ctracker.config..",
                        "net.ctracker.publicport..", "net.ctracker.transport..", "net.ctracker.admin..",
                        "net.ctracker.metrics..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
                .because("the core must run unchanged inside the deterministic simulator")
                .check(classes);
    }

    @Test
    void coreDoesNotReadTheClockOrMakeItsOwnRandomness() {
        noClasses().that().resideInAnyPackage(PLAIN)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .orShould().callConstructor(Random.class)
                .orShould().callConstructor(SplittableRandom.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("time and randomness are parameters of the core (seeded generators may be derived: new Random(seed))")
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
    void overlayProtocolsTakeNoLocksAndStartNoThreads() {
        noClasses().that().resideInAPackage("net.ctracker.overlay..")
                .should().dependOnClassesThat().resideInAPackage("java.util.concurrent.locks..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName() + "$Builder")
                .orShould().callConstructor(Thread.class, Runnable.class)
                .orShould().callConstructor(Thread.class, Runnable.class, String.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ExecutorService")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
                .because("one event loop runs each node; it is the only writer of the node's state")
                .check(classes);
        methods().that().areDeclaredInClassesThat().resideInAPackage("net.ctracker.overlay..")
                .should().notHaveModifier(JavaModifier.SYNCHRONIZED)
                .because("one event loop runs each node; it is the only writer of the node's state")
                .check(classes);
    }

    @Test
    void readOnlyViewsDoNotDependOnTheTransport() {
        noClasses().that().resideInAnyPackage("net.ctracker.admin..", "net.ctracker.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("net.ctracker.transport..", "net.ctracker.publicport..",
                        "net.ctracker.config..")
                .because("admin and metrics read snapshots; they never send")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("net.ctracker.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("net.ctracker.overlay.(*)..").should().beFreeOfCycles().check(classes);
    }
}
