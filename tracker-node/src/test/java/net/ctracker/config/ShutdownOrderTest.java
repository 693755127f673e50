package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import net.ctracker.TrackerNodeApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * On shutdown the public ports stop before the node leaves the overlay (Spring stops higher phases
 * first): an announce accepted while the node is leaving would queue a change nobody sends.
 */
class ShutdownOrderTest {

    @Test
    void thePublicPortsStopBeforeTheNodeLeaves() {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--ctracker.internal-port=0", "--ctracker.udp.port=0",
                "--spring.main.banner-mode=off")) {
            int overlay = ctx.getBean(OverlayLifecycle.class).getPhase();
            Map<String, PortLifecycle> ports = ctx.getBeansOfType(PortLifecycle.class);
            assertThat(ports).as("the public port's lifecycles").isNotEmpty();
            ports.forEach((name, port) -> assertThat(port.getPhase()).as(name).isGreaterThan(overlay));
        }
    }
}
