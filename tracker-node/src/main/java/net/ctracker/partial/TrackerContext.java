package net.ctracker.partial;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import net.ctracker.locality.Coordinate;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;

/** What the partial-tracker protocols of one node share: the overlay, the held records, the outbox. Event loop only. */
final class TrackerContext {

    final OverlayAccess overlay;
    final HeldSwarms held;
    final Outbox outbox;
    final TrackerCounters counters;
    final PartialConfig config;
    private final Supplier<Coordinate> coordinate;
    private Origin self;

    TrackerContext(OverlayAccess overlay, HeldSwarms held, Outbox outbox, TrackerCounters counters, PartialConfig config,
                   Supplier<Coordinate> coordinate) {
        this.overlay = overlay;
        this.held = held;
        this.outbox = outbox;
        this.counters = counters;
        this.config = config;
        this.coordinate = coordinate;
    }

    /** This node as an origin, with its current coordinate. */
    Origin self() {
        Coordinate c = coordinate.get();
        if (self == null || !self.coordinate().equals(c)) {
            self = Origin.of(overlay.self(), c);
        }
        return self;
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

    /** A held record as it goes out again: the time it has left, no completion flag. */
    static Entry entryOf(HeldSwarms.Record r, long nowMillis) {
        int ttl = (int) Math.max(0, Math.min(TrackerCodec.MAX_TTL_SECONDS, (r.expiresAtMillis - nowMillis) / 1000));
        return new Entry(r.endpoint.bytes(), r.peerId, r.seeder, false, false, ttl, 0);
    }
}
