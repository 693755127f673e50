package net.ctracker.locality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import net.ctracker.overlay.routing.NodeKey;

/**
 * This node's network coordinate and what it knows of other nodes' coordinates. RTT samples come
 * from the overlay (every acknowledged message, timed by the transport on its I/O thread, so they
 * measure the network), are filtered per peer ({@link RttFilter}: median of the last five) and move
 * the coordinate ({@link Vivaldi}) when the peer's coordinate is known and recent. Other nodes'
 * coordinates arrive with the messages that carry them (every tracker message names its sender or
 * its records' origins with their coordinates) and with the coordinate exchange.
 *
 * <p>Event-loop state with one volatile for readers: {@link #current()} is safe from any thread.
 * Bounded: at most {@code maxKnown} nodes remembered, least recently heard of forgotten first.
 */
public final class NetworkCoordinates {

    /** A remote coordinate older than this is not used for a sample (the node may have moved). */
    public static final long MAX_AGE_MILLIS = 10 * 60_000;

    private final Vivaldi vivaldi;
    private final RttFilter<NodeKey> filter;
    private final int maxKnown;
    private final LinkedHashMap<NodeKey, Known> known = new LinkedHashMap<>(64, 0.75f, true);
    private volatile Coordinate current;

    private record Known(Coordinate coordinate, long atMillis) {
    }

    public NetworkCoordinates(int dimensions, int maxKnown, RandomGenerator random) {
        this.vivaldi = new Vivaldi(dimensions, 10_000, random);
        this.filter = new RttFilter<>(5, maxKnown);
        this.maxKnown = maxKnown;
        this.current = vivaldi.coordinate();
    }

    /** This node's coordinate now; any thread. */
    public Coordinate current() {
        return current;
    }

    /** A node's coordinate, as carried by a message from or about it. */
    public void learned(NodeKey node, Coordinate coordinate, long nowMillis) {
        if (!coordinate.known()) {
            return;
        }
        known.put(node, new Known(coordinate, nowMillis));
        if (known.size() > maxKnown) {
            var oldest = known.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The last coordinate learned for {@code node}, or {@link Coordinate#NONE}. */
    public Coordinate of(NodeKey node) {
        Known k = known.get(node);
        return k == null ? Coordinate.NONE : k.coordinate();
    }

    /** One RTT sample to {@code node}; returns whether it moved this node's coordinate. */
    public boolean sampled(NodeKey node, double rttMillis, long nowMillis) {
        if (!(rttMillis > 0)) {
            return false;
        }
        double filtered = filter.add(node, rttMillis);
        Known k = known.get(node);
        if (k == null || nowMillis - k.atMillis() > MAX_AGE_MILLIS) {
            return false;
        }
        boolean moved = vivaldi.update(filtered, k.coordinate());
        if (moved) {
            current = vivaldi.coordinate();
        }
        return moved;
    }

    public long samples() {
        return vivaldi.samples();
    }

    public int knownNodes() {
        return known.size();
    }

    Map<NodeKey, Coordinate> knownForTest() {
        Map<NodeKey, Coordinate> out = new LinkedHashMap<>();
        known.forEach((k, v) -> out.put(k, v.coordinate()));
        return out;
    }
}
