package net.ctracker.overlay.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The leaf set: the {@code size/2} numerically nearest live nodes on each side of the owner on the
 * ring. The clockwise side is ordered by clockwise distance from the owner, the counter-clockwise
 * side by counter-clockwise distance, nearest first.
 *
 * <p>Invariants: each side holds at most {@code half} entries, sorted, without duplicates or the
 * owner. While the overlay has fewer than {@code half + 1} nodes every node is on both sides; a side
 * that is not full therefore means "I know the whole ring", and then {@link #covers} is true for
 * every key. Event-loop state: not thread-safe.
 */
public final class LeafSet {

    private final NodeKey self;
    private final int half;
    private final List<Neighbour> clockwise = new ArrayList<>();
    private final List<Neighbour> counterClockwise = new ArrayList<>();

    public LeafSet(NodeKey self, int size) {
        if (size < 2 || size % 2 != 0) {
            throw new IllegalArgumentException("leaf set size must be even and >= 2");
        }
        this.self = self;
        this.half = size / 2;
    }

    /** Clockwise side, nearest first (unmodifiable view). */
    public List<Neighbour> clockwise() {
        return Collections.unmodifiableList(clockwise);
    }

    /** Counter-clockwise side, nearest first (unmodifiable view). */
    public List<Neighbour> counterClockwise() {
        return Collections.unmodifiableList(counterClockwise);
    }

    private NodeKey cwDistance(NodeKey k) {
        return self.clockwiseTo(k);
    }

    private NodeKey ccwDistance(NodeKey k) {
        return k.clockwiseTo(self);
    }

    private int position(List<Neighbour> side, NodeKey key, boolean cw) {
        NodeKey d = cw ? cwDistance(key) : ccwDistance(key);
        int pos = 0;
        for (Neighbour n : side) {
            if (n.key().equals(key)) {
                return -1;
            }
            NodeKey dn = cw ? cwDistance(n.key()) : ccwDistance(n.key());
            if (dn.compareTo(d) < 0) {
                pos++;
            }
        }
        return pos < half ? pos : -1;
    }

    public boolean wouldAdmit(NodeKey key) {
        if (key.equals(self)) {
            return false;
        }
        return position(clockwise, key, true) >= 0 || position(counterClockwise, key, false) >= 0;
    }

    /**
     * Offers a neighbour to both sides. Returns whether it entered either side; neighbours pushed out
     * are added to {@code evicted} (they may still be on the other side: check {@link #contains}).
     */
    public boolean offer(Neighbour n, List<Neighbour> evicted) {
        if (n.key().equals(self)) {
            return false;
        }
        boolean added = offerSide(clockwise, n, true, evicted);
        added |= offerSide(counterClockwise, n, false, evicted);
        return added;
    }

    private boolean offerSide(List<Neighbour> side, Neighbour n, boolean cw, List<Neighbour> evicted) {
        int pos = position(side, n.key(), cw);
        if (pos < 0) {
            return false;
        }
        side.add(pos, n);
        if (side.size() > half) {
            evicted.add(side.remove(side.size() - 1));
        }
        return true;
    }

    public boolean remove(NodeKey key) {
        boolean removed = clockwise.removeIf(n -> n.key().equals(key));
        removed |= counterClockwise.removeIf(n -> n.key().equals(key));
        return removed;
    }

    public boolean contains(NodeKey key) {
        return find(key) != null;
    }

    public Neighbour find(NodeKey key) {
        for (Neighbour n : clockwise) {
            if (n.key().equals(key)) {
                return n;
            }
        }
        for (Neighbour n : counterClockwise) {
            if (n.key().equals(key)) {
                return n;
            }
        }
        return null;
    }

    /** Which side(s) hold the key: true if on the clockwise side. */
    public boolean onClockwiseSide(NodeKey key) {
        return clockwise.stream().anyMatch(n -> n.key().equals(key));
    }

    public boolean onCounterClockwiseSide(NodeKey key) {
        return counterClockwise.stream().anyMatch(n -> n.key().equals(key));
    }

    /** Whether {@code key} lies within the span from the farthest counter-clockwise to the farthest clockwise leaf. */
    public boolean covers(NodeKey key) {
        if (clockwise.size() < half || counterClockwise.size() < half) {
            return true;
        }
        NodeKey cwEdge = clockwise.get(clockwise.size() - 1).key();
        NodeKey ccwEdge = counterClockwise.get(counterClockwise.size() - 1).key();
        return cwDistance(key).compareTo(cwDistance(cwEdge)) <= 0
                || ccwDistance(key).compareTo(ccwDistance(ccwEdge)) <= 0;
    }

    /** The farthest member on one side, or null if that side is empty. */
    public Neighbour farthest(boolean clockwiseSide) {
        List<Neighbour> side = clockwiseSide ? clockwise : counterClockwise;
        return side.isEmpty() ? null : side.get(side.size() - 1);
    }

    /** Every member once, clockwise side first. */
    public List<Neighbour> members() {
        Set<Neighbour> all = new LinkedHashSet<>(clockwise);
        all.addAll(counterClockwise);
        return new ArrayList<>(all);
    }

    public int size() {
        return members().size();
    }
}
