package net.ctracker.metrics;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.ctracker.partial.PartialTracker;
import net.ctracker.partial.TrackerCounters;
import net.ctracker.partial.TrackerMessage;

/**
 * The partial trackers' figures for Prometheus: tracker messages by kind and outcome, how announces
 * and scrapes got the cluster's peers and counts, renewals of cached samples, records held by role, handoffs and replica
 * repairs, and tracker messages per announce. Tags are kinds, outcomes and roles only.
 */
public final class PartialMetrics implements MeterBinder {

    private final TrackerCounters counters;
    private final Supplier<PartialTracker> tracker;

    public PartialMetrics(TrackerCounters counters, Supplier<PartialTracker> tracker) {
        this.counters = counters;
        this.tracker = tracker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TrackerMessage.Kind kind : TrackerMessage.Kind.values()) {
            String tag = kind.name().toLowerCase(Locale.ROOT);
            message(registry, tag, "sent", s -> s.sent().get(kind));
            message(registry, tag, "received", s -> s.received().get(kind));
            message(registry, tag, "failed", s -> s.failed().get(kind));
        }
        for (TrackerCounters.Lookup outcome : TrackerCounters.Lookup.values()) {
            FunctionCounter.builder("ctracker.partial.lookups", counters, c -> c.snapshot().lookups().get(outcome))
                    .description("Announces and scrapes by how they got the cluster's peers and counts")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        for (TrackerCounters.Renewal outcome : TrackerCounters.Renewal.values()) {
            FunctionCounter.builder("ctracker.partial.renewals", counters, c -> c.snapshot().renewals().get(outcome))
                    .description("Renewals of cached samples still in use, by what became of them")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        counter(registry, "ctracker.partial.records.published", "This node's peer records sent towards their roots", s -> s.recordsPublished());
        counter(registry, "ctracker.partial.changes.dropped", "Changes not published because the queue was full (the next refresh sends them)", s -> s.changesDropped());
        counter(registry, "ctracker.partial.lookups.sent", "GET_PEERS queries this node sent for its own announces", s -> s.lookupsSent());
        counter(registry, "ctracker.partial.handoffs", "Full lists handed to a new root", s -> s.handoffs());
        counter(registry, "ctracker.partial.replica.repairs", "Full lists sent to restore a replica", s -> s.replicaRepairs());
        counter(registry, "ctracker.partial.malformed", "Tracker messages from other nodes refused as malformed", s -> s.malformed());
        counter(registry, "ctracker.partial.hop.limit.drops", "Tracker records and queries dropped at the hop limit", s -> s.droppedHopLimit());
        role(registry, "root", PartialTracker.Snapshot::rootRecords);
        role(registry, "replica", PartialTracker.Snapshot::replicaRecords);
        role(registry, "path", PartialTracker.Snapshot::pathRecords);
        Gauge.builder("ctracker.partial.held.swarms", this, m -> m.fromTracker(PartialTracker.Snapshot::heldSwarms))
                .description("Swarms of which this node holds records announced elsewhere").register(registry);
        Gauge.builder("ctracker.partial.cached.swarms", this, m -> m.fromTracker(PartialTracker.Snapshot::cachedSwarms))
                .description("Swarms with a cached answer from the cluster").register(registry);
        Gauge.builder("ctracker.partial.lookups.in.flight", this, m -> m.fromTracker(PartialTracker.Snapshot::lookupsInFlight))
                .description("Swarm lookups waiting for an answer").register(registry);
        Gauge.builder("ctracker.partial.messages.per.announce", counters, c -> {
                    TrackerCounters.Snapshot s = c.snapshot();
                    return s.requests() == 0 ? 0 : (double) s.messagesSent() / s.requests();
                })
                .description("Tracker messages this node sent per announce or scrape it served, since start").register(registry);
    }

    private void message(MeterRegistry registry, String kind, String outcome, ToDoubleFunction<TrackerCounters.Snapshot> f) {
        FunctionCounter.builder("ctracker.partial.messages", counters, c -> f.applyAsDouble(c.snapshot()))
                .description("Partial-tracker messages by kind and outcome")
                .tag("kind", kind).tag("outcome", outcome).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<TrackerCounters.Snapshot> f) {
        FunctionCounter.builder(name, counters, c -> f.applyAsDouble(c.snapshot())).description(description).register(registry);
    }

    private void role(MeterRegistry registry, String role, ToDoubleFunction<PartialTracker.Snapshot> f) {
        Gauge.builder("ctracker.partial.records", this, m -> m.fromTracker(f))
                .description("Peer records announced elsewhere held by this node, by its role for their swarm")
                .tag("role", role).register(registry);
    }

    private double fromTracker(ToDoubleFunction<PartialTracker.Snapshot> f) {
        PartialTracker t = tracker.get();
        return t == null ? 0 : f.applyAsDouble(t.snapshot());
    }
}
