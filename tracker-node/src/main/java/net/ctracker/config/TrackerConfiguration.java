package net.ctracker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import net.ctracker.announce.TrackerService;
import net.ctracker.metrics.TrackerMetrics;
import net.ctracker.publicport.PublicHttpServer;
import net.ctracker.swarm.SwarmStore;
import net.ctracker.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Wires the node: the only place that constructs the core objects. The servlet container (actuator,
 * overlay messages and admin API) listens on {@code ctracker.internal-port}; the public port
 * {@code server.port} belongs to the Netty announce server.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrackerProperties.class)
public class TrackerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerConfiguration.class);

    @Bean
    Clock clock() {
        return SystemClock.INSTANCE;
    }

    @Bean
    SwarmStore swarmStore(TrackerProperties p, Clock clock) {
        return new SwarmStore(p.storeLimits(), clock, new SecureRandom());
    }

    @Bean
    TrackerMetrics trackerMetrics(MeterRegistry registry, SwarmStore store) {
        return new TrackerMetrics(registry, store);
    }

    @Bean
    TrackerService trackerService(TrackerProperties p, SwarmStore store, TrackerMetrics metrics) {
        return new TrackerService(store, p.serviceSettings(HexFormat.of().formatHex(new SecureRandom().generateSeed(4))),
                metrics, System::nanoTime);
    }

    @Bean
    PublicServerLifecycle publicServer(TrackerProperties p, TrackerService service,
                                       @Value("${server.port:6969}") int port,
                                       @Value("${server.address:}") String address) {
        return new PublicServerLifecycle(new PublicHttpServer(
                p.publicServerSettings(address, port, Runtime.getRuntime().availableProcessors()), service));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService storeSweeper(TrackerProperties p, SwarmStore store) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = p.store().sweepInterval().toMillis();
        // a task that throws is never run again by scheduleWithFixedDelay: log and carry on instead
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                store.sweep();
            } catch (RuntimeException e) {
                LOG.error("sweeping expired peers failed; the next sweep runs in {} ms", period, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return sweeper;
    }

    /** Moves the servlet container to the internal port, after Boot has applied {@code server.port}. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> internalPortCustomizer(TrackerProperties p) {
        InetAddress address = null;
        if (p.internalAddress() != null) {
            try {
                address = InetAddress.getByName(p.internalAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("ctracker.internal-address: '" + p.internalAddress()
                        + "' is not an address of this host (such as 10.0.0.7 or 127.0.0.1)", e);
            }
        }
        return new InternalPortCustomizer(p.internalPort(), address);
    }

    static final class InternalPortCustomizer implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
        private final int port;
        private final InetAddress address;

        /** @param address null: every interface */
        InternalPortCustomizer(int port, InetAddress address) {
            this.port = port;
            this.address = address;
        }

        @Override
        public void customize(ConfigurableServletWebServerFactory factory) {
            // server.address belongs to the public port; the internal one has its own
            factory.setPort(port);
            factory.setAddress(address);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
