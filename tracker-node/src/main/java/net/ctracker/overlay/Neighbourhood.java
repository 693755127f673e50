package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.ctracker.overlay.routing.LeafSet;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.routing.RoutingTable;

/**
 * The state every protocol of a node reads: the leaf set, the routing table and the neighbours they
 * hold, kept in step. Protocols read the leaf set and table freely but change them only through
 * {@link #insert} and {@link #remove}.
 *
 * <p>Invariants: every neighbour in the leaf set or the table is in {@code neighbours} and vice
 * versa, one {@link Neighbour} object per node (so the leaf set and the table see the same
 * measurements); the owner is in none of them. Every change of the leaf set's membership is told
 * to the applications ({@link Application#update}). Event-loop state: not thread-safe.
 */
final class Neighbourhood {

    /** How a node entered: the leaf set, the routing table, both, or neither (then it was not kept). */
    record Admission(boolean leafSet, boolean table) {
        boolean admitted() {
            return leafSet || table;
        }
    }

    /** Which sides of the leaf set a removed neighbour was on. */
    record Removal(boolean clockwise, boolean counterClockwise) {
        boolean wasLeaf() {
            return clockwise || counterClockwise;
        }
    }

    private final NodeHandle self;
    private final LeafSet leafSet;
    private final RoutingTable table;
    private final Map<NodeKey, Neighbour> neighbours = new HashMap<>();
    private final Applications applications;
    private long tableAdmissions;

    Neighbourhood(NodeContext ctx, Applications applications) {
        this.self = ctx.self;
        this.leafSet = new LeafSet(self.key(), ctx.config.tables().leafSetSize());
        this.table = new RoutingTable(self.key(), ctx.config.tables().cellCapacity(), ctx.config.tables().proximity());
        this.applications = applications;
    }

    LeafSet leafSet() {
        return leafSet;
    }

    RoutingTable table() {
        return table;
    }

    Neighbour get(NodeKey key) {
        return neighbours.get(key);
    }

    boolean contains(NodeKey key) {
        return neighbours.containsKey(key);
    }

    /** Every neighbour once (leaf set and table). */
    Collection<Neighbour> all() {
        return neighbours.values();
    }

    /** How many nodes have entered the routing table so far: route-set maintenance watches it grow. */
    long tableAdmissions() {
        return tableAdmissions;
    }

    /**
     * Offers a measured node to the leaf set and the table. Kept if either takes it; neighbours it
     * pushes out of both are forgotten, and leaf-set changes are told to the applications.
     */
    Admission insert(Neighbour n) {
        List<Neighbour> evicted = new ArrayList<>();
        boolean inLeafSet = leafSet.offer(n, evicted);
        RoutingTable.Offer offer = table.offer(n);
        if (!inLeafSet && !offer.admitted()) {
            return new Admission(false, false);
        }
        neighbours.put(n.key(), n);
        if (offer.admitted()) {
            tableAdmissions++;
        }
        if (offer.evicted() != null) {
            evicted.add(offer.evicted());
        }
        for (Neighbour e : evicted) {
            boolean stillLeaf = leafSet.contains(e.key());
            if (!stillLeaf && !table.contains(e.key())) {
                neighbours.remove(e.key());
            }
            if (!stillLeaf) {
                applications.leafSetChanged(e.handle(), false);
            }
        }
        if (inLeafSet) {
            applications.leafSetChanged(n.handle(), true);
        }
        return new Admission(inLeafSet, offer.admitted());
    }

    /**
     * Removes a neighbour everywhere. A leaf-set side that lost it is refilled at once from measured
     * table entries. Returns null if it was no neighbour.
     */
    Removal remove(NodeKey key) {
        Neighbour n = neighbours.remove(key);
        if (n == null) {
            return null;
        }
        boolean clockwise = leafSet.onClockwiseSide(key);
        boolean counterClockwise = leafSet.onCounterClockwiseSide(key);
        leafSet.remove(key);
        table.remove(key);
        if (clockwise || counterClockwise) {
            applications.leafSetChanged(n.handle(), false);
            List<Neighbour> ignored = new ArrayList<>();
            for (Neighbour t : table.all()) {
                if (leafSet.offer(t, ignored)) {
                    applications.leafSetChanged(t.handle(), true);
                }
            }
        }
        return new Removal(clockwise, counterClockwise);
    }

    /** This node, then every leaf-set member once, clockwise side first: what a JOIN_ACK or LEAF_EXCHANGE carries. */
    List<NodeHandle> leafHandlesWithSelf() {
        List<NodeHandle> out = new ArrayList<>();
        out.add(self);
        leafSet.members().forEach(n -> out.add(n.handle()));
        return out;
    }

    /** This node, then the entries of one routing-table row: what a PIGGY or ROW_EXCHANGE carries. */
    List<NodeHandle> rowWithSelf(int row) {
        List<NodeHandle> out = new ArrayList<>();
        out.add(self);
        table.row(row).forEach(n -> out.add(n.handle()));
        return out;
    }

    /** The {@code perSide} nearest leaf-set members on each side, clockwise first, each once. */
    Set<Neighbour> nearestLeaves(int perSide) {
        Set<Neighbour> out = new LinkedHashSet<>(); // insertion order: the simulator must replay exactly
        List<Neighbour> cw = leafSet.clockwise();
        List<Neighbour> ccw = leafSet.counterClockwise();
        out.addAll(cw.subList(0, Math.min(perSide, cw.size())));
        out.addAll(ccw.subList(0, Math.min(perSide, ccw.size())));
        return out;
    }
}
