package net.ctracker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.ctracker.locality.LocalityStats;
import net.ctracker.locality.NetworkCoordinates;

/**
 * Locality figures for Prometheus, over the most recent measured answers: the share of handed-out
 * peers from the requester's region, the median predicted RTT of handed-out peers and of a random
 * choice, and this node's coordinate error. No tag but {@code choice}.
 */
public final class LocalityMetrics implements MeterBinder {

    private final LocalityStats stats;
    private final NetworkCoordinates coordinates;

    public LocalityMetrics(LocalityStats stats, NetworkCoordinates coordinates) {
        this.stats = stats;
        this.coordinates = coordinates;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("ctracker.locality.answers", stats, s -> s.snapshot().answers())
                .description("Ranked answers measured for the locality figures (one in eight)").register(registry);
        Gauge.builder("ctracker.locality.same.region.share", stats, s -> s.snapshot().sameRegionShare())
                .description("Share of handed-out peers that announced in the requester's region (recent answers)")
                .register(registry);
        Gauge.builder("ctracker.locality.predicted.rtt.median", stats, s -> s.snapshot().medianHandedRttMillis())
                .description("Median RTT predicted to the nodes of handed-out peers, ms (recent answers)")
                .baseUnit("milliseconds").tag("choice", "handed").register(registry);
        Gauge.builder("ctracker.locality.predicted.rtt.median", stats, s -> s.snapshot().medianRandomRttMillis())
                .description("Median RTT predicted to the nodes of a random choice of as many peers, ms (recent answers)")
                .baseUnit("milliseconds").tag("choice", "random").register(registry);
        Gauge.builder("ctracker.locality.coordinate.error", coordinates, c -> c.current().error())
                .description("This node's estimate of its network coordinate's relative error (1 = unknown)").register(registry);
        FunctionCounter.builder("ctracker.locality.rtt.samples", coordinates, NetworkCoordinates::samples)
                .description("RTT samples that moved this node's network coordinate").register(registry);
    }
}
