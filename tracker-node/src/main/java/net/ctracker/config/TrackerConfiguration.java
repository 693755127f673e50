package net.ctracker.config;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.publicport.PublicHttpServer;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.metrics.TrackerMetrics;
import net.ctracker.swarm.StoreLimits;
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
        StoreLimits limits = new StoreLimits(p.peerTtl(), p.store().maxSwarms(), p.store().maxPeersPerSwarm(),
                p.store().maxPeers());
        return new SwarmStore(limits, clock, new SecureRandom());
    }

    @Bean
    TrackerMetrics trackerMetrics(MeterRegistry registry, SwarmStore store) {
        return new TrackerMetrics(registry, store);
    }

    @Bean
    TrackerService trackerService(TrackerProperties p, SwarmStore store, TrackerMetrics metrics) {
        TrustedNetworks trusted;
        try {
            trusted = TrustedNetworks.parse(p.trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ctracker.trusted-proxies: " + e.getMessage(), e);
        }
        String trackerId = p.announce().trackerId() != null ? p.announce().trackerId()
                : HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        var reply = new AnnounceResponseWriter.ReplySettings((int) p.announce().interval().toSeconds(),
                (int) p.announce().minInterval().toSeconds(), trackerId.getBytes(StandardCharsets.UTF_8),
                p.announce().warningMessage() == null ? null : p.announce().warningMessage().getBytes(StandardCharsets.UTF_8));
        return new TrackerService(store, new TrackerService.Settings(reply, p.announce().numwantDefault(),
                p.announce().numwantMax(), p.scrape().maxHashes(), p.scrape().fullScrapeEnabled(), trusted), metrics);
    }

    @Bean
    PublicServerLifecycle publicServer(TrackerProperties p, TrackerService service,
                                       @Value("${server.port:6969}") int port,
                                       @Value("${server.address:}") String address) {
        int workers = p.http().workerThreads() > 0 ? p.http().workerThreads() : Runtime.getRuntime().availableProcessors();
        var settings = new PublicHttpServer.Settings(address, port, workers, (int) p.http().maxRequestLine().toBytes(),
                (int) p.http().maxHeaderSize().toBytes(), p.http().idleTimeout());
        return new PublicServerLifecycle(new PublicHttpServer(settings, service));
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
        return new InternalPortCustomizer(p.internalPort());
    }

    static final class InternalPortCustomizer implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
        private final int port;

        InternalPortCustomizer(int port) {
            this.port = port;
        }

        @Override
        public void customize(ConfigurableServletWebServerFactory factory) {
            factory.setPort(port);
            factory.setAddress(null);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
