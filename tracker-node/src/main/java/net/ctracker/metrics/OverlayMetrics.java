package net.ctracker.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.ctracker.overlay.NodeSnapshot;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.MessageType;
import net.ctracker.overlay.LocalNode;

/**
 * Overlay figures for Prometheus, read from the node's published snapshot (never from its event
 * loop): messages by type and outcome, leaf-set and routing-table fill, hops of delivered routes,
 * and the RTT of acknowledged messages as measured by the HTTP transport. Tags are message types,
 * outcomes and hop counts only.
 */
public final class OverlayMetrics implements MeterBinder {

    /** Deliveries after this many hops or more share one tag value. */
    private static final int HOP_BUCKETS = 8;

    private final LocalNode local;
    private Map<MessageType, Timer> rtt = Map.of();

    public OverlayMetrics(LocalNode local) {
        this.local = local;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (MessageType type : MessageType.values()) {
            String tag = type.name().toLowerCase(Locale.ROOT);
            messages(registry, tag, "sent", c -> c.sent(), type);
            messages(registry, tag, "acknowledged", c -> c.acknowledged(), type);
            messages(registry, tag, "failed", c -> c.failed(), type);
            messages(registry, tag, "received", c -> c.received(), type);
        }
        Gauge.builder("ctracker.overlay.joined", this, m -> m.snapshot(s -> s.joined() ? 1 : 0))
                .description("1 once this node has joined the overlay").register(registry);
        Gauge.builder("ctracker.overlay.leafset.size", this, m -> m.snapshot(NodeSnapshot::leafSetMembers))
                .description("Leaf-set members (each once, whichever sides it is on)").register(registry);
        Gauge.builder("ctracker.overlay.routing.entries", this, m -> m.snapshot(s -> s.routingTable().size()))
                .description("Routing-table entries").register(registry);
        FunctionCounter.builder("ctracker.overlay.neighbours.removed", this, m -> m.snapshot(s -> s.counters().neighboursRemoved()))
                .description("Neighbours removed after missing their acks").register(registry);
        for (int h = 0; h <= HOP_BUCKETS; h++) {
            int hops = h;
            FunctionCounter.builder("ctracker.overlay.route.hops", this, m -> m.snapshot(s -> deliveries(s, hops)))
                    .description("Routes and lookups delivered at the root, by hop count")
                    .tag("hops", h == HOP_BUCKETS ? HOP_BUCKETS + "+" : Integer.toString(h)).register(registry);
        }
        Map<MessageType, Timer> timers = new java.util.EnumMap<>(MessageType.class);
        for (MessageType type : MessageType.values()) {
            timers.put(type, Timer.builder("ctracker.overlay.rtt").description("Round-trip time of acknowledged overlay messages")
                    .tag("type", type.name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry));
        }
        rtt = timers;
    }

    /** Records one acknowledged message's round trip (called by the HTTP transport). */
    public void recordRtt(Message message, long nanos) {
        Timer t = rtt.get(message.type());
        if (t != null) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void messages(MeterRegistry registry, String type, String outcome,
                          Function<NodeSnapshot.Counters, Map<String, Long>> pick, MessageType key) {
        FunctionCounter.builder("ctracker.overlay.messages", this,
                        m -> m.snapshot(s -> pick.apply(s.counters()).getOrDefault(key.name(), 0L)))
                .description("Overlay messages by type and outcome")
                .tag("type", type).tag("outcome", outcome).register(registry);
    }

    private static double deliveries(NodeSnapshot s, int hops) {
        List<Long> d = s.counters().deliveredHops();
        if (hops < HOP_BUCKETS) {
            return hops < d.size() ? d.get(hops) : 0;
        }
        long sum = 0;
        for (int i = HOP_BUCKETS; i < d.size(); i++) {
            sum += d.get(i);
        }
        return sum;
    }

    private double snapshot(ToDoubleFunction<NodeSnapshot> f) {
        OverlayNode node = local.node();
        return node == null ? 0 : f.applyAsDouble(node.snapshot());
    }
}
