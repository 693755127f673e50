package net.ctracker.partial;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;

/** What the partial-tracker protocols of one node share: the overlay, the held records, the outbox. Event loop only, but {@link #self()}. */
final class TrackerContext {

    final OverlayAccess overlay;
    final HeldSwarms held;
    final Outbox outbox;
    final TrackerCounters counters;
    final PartialConfig config;
    private final Supplier<Coordinate> coordinate;
    /** Read by the announce threads too (ranking); an immutable value, replaced when the coordinate moves. */
    private volatile Origin self;

    TrackerContext(OverlayAccess overlay, HeldSwarms held, Outbox outbox, TrackerCounters counters, PartialConfig config,
                   Supplier<Coordinate> coordinate) {
        this.overlay = overlay;
        this.held = held;
        this.outbox = outbox;
        this.counters = counters;
        this.config = config;
        this.coordinate = coordinate;
    }

    /** This node as an origin, with its current coordinate; any thread. */
    Origin self() {
        Coordinate c = coordinate.get();
        Origin o = self;
        if (o == null || !o.coordinate().equals(c)) {
            self = o = Origin.of(overlay.self(), c);
        }
        return o;
    }

    NodeHandle selfHandle() {
        return overlay.self();
    }

    long now() {
        return overlay.scheduler().nowMillis();
    }

    boolean isRoot(NodeKey key) {
        return overlay.self().equals(overlay.nextHop(key));
    }

    /** The root and replicas of {@code key} as this node sees them (empty when its leaf set does not span the key). */
    List<NodeHandle> holders(NodeKey key) {
        return overlay.covers(key) ? overlay.closest(key, 1 + config.replicas()) : List.of();
    }

    static List<NodeKey> keys(List<NodeHandle> handles) {
        List<NodeKey> out = new ArrayList<>(handles.size());
        handles.forEach(h -> out.add(h.key()));
        return out;
    }

    /** The whole seconds from {@code nowMillis} to {@code untilMillis}, at least {@code atLeast}, at most what the codec carries. */
    static int ttlSeconds(long untilMillis, long nowMillis, int atLeast) {
        return (int) Math.max(atLeast, Math.min(TrackerCodec.MAX_TTL_SECONDS, (untilMillis - nowMillis) / 1000));
    }

    /** A held record as it goes out again: the time it has left, no completion flag. */
    static Entry entryOf(HeldSwarms.Record r, long nowMillis) {
        int ttl = ttlSeconds(r.expiresAtMillis, nowMillis, 0);
        return new Entry(r.endpoint.bytes(), r.peerId, r.seeder, false, false, ttl, 0);
    }
}
