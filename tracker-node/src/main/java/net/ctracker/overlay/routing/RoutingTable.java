package net.ctracker.overlay.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Prefix routing table: {@value NodeKey#DIGITS} rows by {@value NodeKey#RADIX} columns, each cell
 * holding up to {@code cellCapacity} neighbours. Row {@code r}, column {@code c} holds nodes that
 * share exactly {@code r} leading digits with the owner and whose digit {@code r} is {@code c}.
 *
 * <p>Invariants: a key appears at most once (in the one cell its key determines); the owner never
 * appears. With proximity neighbour selection a full cell admits a candidate only if the candidate's
 * measured RTT beats the worst entry's, which it then replaces. Rows are allocated on first use, so a
 * node in an overlay of N nodes holds about {@code log16(N)} rows. Event-loop state: not thread-safe.
 */
public final class RoutingTable {

    /** The outcome of offering a neighbour: whether it went in, and whom it displaced (or null). */
    public record Offer(boolean admitted, Neighbour evicted) {
        static final Offer REJECTED = new Offer(false, null);
        static final Offer ADDED = new Offer(true, null);
    }

    /** A filled slot, for iteration. */
    public record Slot(int row, int column, Neighbour neighbour) {
    }

    private final NodeKey self;
    private final int cellCapacity;
    private final boolean proximity;
    private final Neighbour[][][] rows = new Neighbour[NodeKey.DIGITS][][];
    private int size;

    public RoutingTable(NodeKey self, int cellCapacity, boolean proximity) {
        if (cellCapacity < 1) {
            throw new IllegalArgumentException("cellCapacity must be >= 1");
        }
        this.self = self;
        this.cellCapacity = cellCapacity;
        this.proximity = proximity;
    }

    public int size() {
        return size;
    }

    private Neighbour[] cell(int row, int column, boolean create) {
        Neighbour[][] r = rows[row];
        if (r == null) {
            if (!create) {
                return null;
            }
            r = new Neighbour[NodeKey.RADIX][];
            rows[row] = r;
        }
        Neighbour[] c = r[column];
        if (c == null && create) {
            c = new Neighbour[cellCapacity];
            r[column] = c;
        }
        return c;
    }

    /** Whether a node with this key and RTT (NaN = unmeasured) would be admitted now. */
    public boolean wouldAdmit(NodeKey key, double rttMillis) {
        int row = self.sharedPrefixLength(key);
        if (row == NodeKey.DIGITS) {
            return false;
        }
        Neighbour[] c = cell(row, key.digit(row), false);
        if (c == null) {
            return true;
        }
        Neighbour worst = null;
        for (Neighbour n : c) {
            if (n == null) {
                return true;
            }
            if (n.key().equals(key)) {
                return false;
            }
            if (worst == null || n.rttForRanking() > worst.rttForRanking()) {
                worst = n;
            }
        }
        return proximity && !Double.isNaN(rttMillis) && rttMillis < worst.rttForRanking();
    }

    public Offer offer(Neighbour candidate) {
        NodeKey key = candidate.key();
        int row = self.sharedPrefixLength(key);
        if (row == NodeKey.DIGITS) {
            return Offer.REJECTED;
        }
        Neighbour[] c = cell(row, key.digit(row), true);
        int worst = -1;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == null) {
                c[i] = candidate;
                size++;
                return Offer.ADDED;
            }
            if (c[i].key().equals(key)) {
                return Offer.REJECTED;
            }
            if (worst < 0 || c[i].rttForRanking() > c[worst].rttForRanking()) {
                worst = i;
            }
        }
        if (proximity && candidate.rttForRanking() < c[worst].rttForRanking()) {
            Neighbour evicted = c[worst];
            c[worst] = candidate;
            return new Offer(true, evicted);
        }
        return Offer.REJECTED;
    }

    public boolean contains(NodeKey key) {
        return find(key) != null;
    }

    public Neighbour find(NodeKey key) {
        int row = self.sharedPrefixLength(key);
        if (row == NodeKey.DIGITS) {
            return null;
        }
        Neighbour[] c = cell(row, key.digit(row), false);
        if (c != null) {
            for (Neighbour n : c) {
                if (n != null && n.key().equals(key)) {
                    return n;
                }
            }
        }
        return null;
    }

    public boolean remove(NodeKey key) {
        int row = self.sharedPrefixLength(key);
        if (row == NodeKey.DIGITS) {
            return false;
        }
        Neighbour[] c = cell(row, key.digit(row), false);
        if (c == null) {
            return false;
        }
        for (int i = 0; i < c.length; i++) {
            if (c[i] != null && c[i].key().equals(key)) {
                System.arraycopy(c, i + 1, c, i, c.length - i - 1);
                c[c.length - 1] = null;
                size--;
                return true;
            }
        }
        return false;
    }

    /**
     * The best entry of a cell that passes {@code usable}: highest link quality first (compared in
     * steps of {@code qualityStep}, so small differences do not override RTT), then lowest RTT.
     */
    public Neighbour best(int row, int column, Predicate<Neighbour> usable, double qualityStep) {
        Neighbour[] c = cell(row, column, false);
        if (c == null) {
            return null;
        }
        Neighbour best = null;
        for (Neighbour n : c) {
            if (n != null && usable.test(n) && (best == null || better(n, best, qualityStep))) {
                best = n;
            }
        }
        return best;
    }

    static boolean better(Neighbour a, Neighbour b, double qualityStep) {
        long qa = (long) Math.floor(a.quality() / qualityStep);
        long qb = (long) Math.floor(b.quality() / qualityStep);
        if (qa != qb) {
            return qa > qb;
        }
        return a.rttForRanking() < b.rttForRanking();
    }

    /** The entries of one row, in column order. */
    public List<Neighbour> row(int row) {
        List<Neighbour> out = new ArrayList<>();
        Neighbour[][] r = rows[row];
        if (r != null) {
            for (Neighbour[] c : r) {
                if (c != null) {
                    for (Neighbour n : c) {
                        if (n != null) {
                            out.add(n);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Rows that hold at least one entry, ascending. */
    public List<Integer> nonEmptyRows() {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] != null && !row(r).isEmpty()) {
                out.add(r);
            }
        }
        return out;
    }

    public void forEach(Consumer<Slot> action) {
        for (int r = 0; r < rows.length; r++) {
            Neighbour[][] row = rows[r];
            if (row == null) {
                continue;
            }
            for (int col = 0; col < row.length; col++) {
                Neighbour[] c = row[col];
                if (c == null) {
                    continue;
                }
                for (Neighbour n : c) {
                    if (n != null) {
                        action.accept(new Slot(r, col, n));
                    }
                }
            }
        }
    }

    public List<Neighbour> all() {
        List<Neighbour> out = new ArrayList<>(size);
        forEach(slot -> out.add(slot.neighbour()));
        return out;
    }
}
