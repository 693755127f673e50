package net.ctracker.config;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import net.ctracker.admin.AdminController;
import net.ctracker.admin.OverlayHealthIndicator;
import net.ctracker.metrics.OverlayMetrics;
import net.ctracker.overlay.LocalNode;
import net.ctracker.time.Clock;
import net.ctracker.transport.MessageAuthenticator;
import net.ctracker.transport.OverlayController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the overlay node, its HTTP transport, the admin API, health and metrics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OverlayProperties.class)
public class OverlayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OverlayConfiguration.class);

    @Bean
    LocalNode localNode() {
        return new LocalNode();
    }

    @Bean
    MessageAuthenticator messageAuthenticator(OverlayProperties p, Clock clock) {
        byte[] secret;
        if (p.clusterSecret() == null || p.clusterSecret().isEmpty()) {
            secret = new SecureRandom().generateSeed(32);
            log.warn("no ctracker.cluster-secret set: using a random one, so this node can only form an overlay of its own");
        } else {
            secret = p.clusterSecret().getBytes(StandardCharsets.UTF_8);
        }
        return new MessageAuthenticator(secret, clock, p.overlay().replayWindow(), p.overlay().replayMemory());
    }

    @Bean
    OverlayMetrics overlayMetrics(LocalNode local) {
        return new OverlayMetrics(local);
    }

    @Bean
    OverlayLifecycle overlayLifecycle(OverlayProperties p, LocalNode local, MessageAuthenticator authenticator,
                                      OverlayMetrics metrics, ApplicationContext context) {
        return new OverlayLifecycle(p, local, authenticator, metrics, context);
    }

    @Bean
    OverlayController overlayController(LocalNode local, MessageAuthenticator authenticator) {
        return new OverlayController(local, authenticator);
    }

    @Bean
    AdminController adminController(LocalNode local, OverlayProperties p, net.ctracker.locality.NetworkCoordinates coordinates) {
        return new AdminController(local, p.overlay().routeTimeout(), coordinates::current);
    }

    @Bean("overlay")
    OverlayHealthIndicator overlayHealthIndicator(LocalNode local) {
        return new OverlayHealthIndicator(local);
    }
}
