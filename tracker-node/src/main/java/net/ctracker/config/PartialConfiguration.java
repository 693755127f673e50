package net.ctracker.config;

import java.security.SecureRandom;
import java.util.SplittableRandom;

import net.ctracker.admin.LocalityController;
import net.ctracker.admin.SwarmController;
import net.ctracker.metrics.LocalityMetrics;
import net.ctracker.announce.TrackerService;

import net.ctracker.locality.AltoFiles;
import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.LocalityConfig;
import net.ctracker.locality.LocalityStats;
import net.ctracker.locality.NetworkCoordinates;
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

    @Bean
    LocalityStats localityStats() {
        return new LocalityStats();
    }

    /** This node's network coordinates: fed once the overlay node exists, read by the admin API. */
    @Bean
    NetworkCoordinates networkCoordinates(LocalityProperties locality) {
        return new NetworkCoordinates(locality.dimensions(), 4096, new SplittableRandom(new SecureRandom().nextLong()));
    }

    /** The ISP map files, read now (a bad file stops start-up) and checked for changes every alto-check-period. */
    @Bean
    AltoHolder altoHolder(LocalityProperties locality, FileWatcher fileWatcher) {
        if (locality.altoNetworkMap() == null) {
            return new AltoHolder(null);
        }
        AltoFiles files = new AltoFiles(locality.altoNetworkMap(), locality.altoCostMap());
        fileWatcher.watch("ALTO map files", locality.altoCheckPeriod().toMillis(), files::refresh);
        return new AltoHolder(files);
    }

    /** The map files, if the operator gave them. */
    static final class AltoHolder {
        final AltoFiles files;

        AltoHolder(AltoFiles files) {
            this.files = files;
        }

        AltoMaps current() {
            return files == null ? AltoMaps.NONE : files.current();
        }
    }

    @Bean(destroyMethod = "stop")
    PartialTrackerBinding partialTrackerBinding(PartialProperties partial, LocalityProperties locality, TrackerProperties tracker,
                                                LocalNode local, SwarmStore store, TrackerService service,
                                                TrackerCounters counters, AltoHolder alto, LocalityStats stats,
                                                NetworkCoordinates coordinates) {
        PartialConfig config = partial.toConfig(tracker.announce().interval(), locality.randomShare());
        LocalityConfig ranking = locality.toConfig();
        PartialTracker.StoreCaps caps = new PartialTracker.StoreCaps(tracker.store().maxPeers(), tracker.store().maxSwarms(),
                tracker.store().maxPeersPerSwarm());
        PartialTrackerBinding binding = new PartialTrackerBinding();
        if (!partial.enabled()) {
            return binding;
        }
        SecureRandom seeds = new SecureRandom();
        local.whenCreated(node -> {
            ClusterPeers cluster = new ClusterPeers(config, ranking, node.scheduler(), counters, seeds.nextLong());
            PartialTracker t = new PartialTracker(node, node.scheduler(), store, config, caps, cluster, counters,
                    new SplittableRandom(seeds.nextLong()), new PartialTracker.Locality(ranking, coordinates, alto::current, stats));
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
    LocalityController localityController(LocalityStats stats, NetworkCoordinates coordinates, LocalityProperties locality,
                                          AltoHolder alto) {
        return new LocalityController(stats, coordinates::current, locality.ranking(), () -> alto.current().toString());
    }

    @Bean
    LocalityMetrics localityMetrics(LocalityStats stats, NetworkCoordinates coordinates) {
        return new LocalityMetrics(stats, coordinates);
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
