package net.ctracker.config;

import java.security.SecureRandom;
import java.util.SplittableRandom;

import net.ctracker.admin.SwarmController;
import net.ctracker.announce.TrackerService;
import net.ctracker.locality.Coordinate;
import net.ctracker.metrics.PartialMetrics;
import net.ctracker.partial.ClusterPeers;
import net.ctracker.partial.PartialConfig;
import net.ctracker.partial.PartialTracker;
import net.ctracker.partial.TrackerCounters;
import net.ctracker.swarm.SwarmStore;
import net.ctracker.overlay.LocalNode;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the partial trackers: once the overlay node is built (before it joins), a
 * {@link PartialTracker} is registered on it and the announce service joins its answers to the
 * cluster's through {@link ClusterPeers}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PartialProperties.class, LocalityProperties.class})
public class PartialConfiguration {

    @Bean
    TrackerCounters partialCounters() {
        return new TrackerCounters();
    }

    @Bean(destroyMethod = "stop")
    PartialTrackerBinding partialTrackerBinding(PartialProperties partial, LocalityProperties locality, TrackerProperties tracker,
                                                LocalNode local, SwarmStore store, TrackerService service,
                                                TrackerCounters counters) {
        PartialConfig config = partial.toConfig(tracker.announce().interval(), locality.randomShare());
        PartialTracker.StoreCaps caps = new PartialTracker.StoreCaps(tracker.store().maxPeers(), tracker.store().maxSwarms(),
                tracker.store().maxPeersPerSwarm());
        PartialTrackerBinding binding = new PartialTrackerBinding();
        if (!partial.enabled()) {
            return binding;
        }
        SecureRandom seeds = new SecureRandom();
        local.whenCreated(node -> {
            ClusterPeers cluster = new ClusterPeers(config, node.scheduler(), counters, seeds.nextLong());
            PartialTracker t = new PartialTracker(node, node.scheduler(), store, config, caps, cluster, counters,
                    new SplittableRandom(seeds.nextLong()), () -> Coordinate.NONE);
            service.setRemotePeers(cluster);
            t.start();
            binding.set(t);
        });
        return binding;
    }

    @Bean
    PartialMetrics partialMetrics(TrackerCounters counters, PartialTrackerBinding binding) {
        return new PartialMetrics(counters, binding::get);
    }

    @Bean
    SwarmController swarmController(PartialTrackerBinding binding, SwarmStore store, LocalNode local, OverlayProperties p) {
        return new SwarmController(binding::get, store, () -> local.node() == null ? null : local.node().handle(),
                p.overlay().routeTimeout());
    }

    /** The node's partial tracker, once it exists. */
    static final class PartialTrackerBinding {
        private volatile PartialTracker tracker;

        void set(PartialTracker t) {
            tracker = t;
        }

        PartialTracker get() {
            return tracker;
        }

        void stop() {
            PartialTracker t = tracker;
            if (t != null) {
                t.stop();
            }
        }
    }
}
