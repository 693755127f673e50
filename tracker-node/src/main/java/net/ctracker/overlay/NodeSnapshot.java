package net.ctracker.overlay;

import java.util.List;
import java.util.Map;

import net.ctracker.overlay.routing.NodeKey;

/**
 * An immutable picture of one node, safe to read from any thread (admin API, metrics, health).
 * RTTs are smoothed estimates in milliseconds, {@code -1} when not measured yet.
 */
public record NodeSnapshot(
        NodeKey key,
        String region,
        String address,
        boolean joined,
        long takenAtMillis,
        List<LeafEntry> leafSet,
        List<TableEntry> routingTable,
        Counters counters) {

    public NodeSnapshot {
        leafSet = List.copyOf(leafSet);
        routingTable = List.copyOf(routingTable);
    }

    /**
     * Distinct leaf-set members. {@link #leafSet()} lists a member once per side it is on, and in an
     * overlay smaller than the leaf set every member is on both sides.
     */
    public int leafSetMembers() {
        return (int) leafSet.stream().map(LeafEntry::key).distinct().count();
    }

    /** One leaf-set member; {@code clockwise} tells the side (a member on both sides is listed once per side). */
    public record LeafEntry(NodeKey key, String address, String region, double rttMs, boolean clockwise) {
    }

    /** One routing-table entry. */
    public record TableEntry(int row, int col, NodeKey key, String address, double rttMs) {
    }

    /**
     * Message counters by type name (low cardinality: types and outcomes only), lookups and the
     * distribution of hop counts of delivered routes and lookups ({@code hops[i]} = deliveries after i hops).
     */
    public record Counters(
            Map<String, Long> sent,
            Map<String, Long> acknowledged,
            Map<String, Long> failed,
            Map<String, Long> received,
            long droppedHopLimit,
            long lookupsCompleted,
            long lookupsTimedOut,
            long neighboursRemoved,
            List<Long> deliveredHops) {

        public Counters {
            sent = Map.copyOf(sent);
            acknowledged = Map.copyOf(acknowledged);
            failed = Map.copyOf(failed);
            received = Map.copyOf(received);
            deliveredHops = List.copyOf(deliveredHops);
        }
    }
}
