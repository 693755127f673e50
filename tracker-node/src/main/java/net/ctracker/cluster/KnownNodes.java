package net.ctracker.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * The nodes this node has asked to describe themselves, remembered so that a node that stops
 * answering stays in the operator's view (marked unreachable, with since when) instead of vanishing
 * with the neighbour lists that named it. Event loop only.
 *
 * <p>Bounded: at most {@code capacity} nodes. A node unreachable for {@code forgetAfterMillis}
 * since it last answered (or since it was first asked, if it never did) is forgotten. When full, a
 * newcomer takes the place of the node that has been silent the longest, and only of an unreachable
 * one; with every remembered node reachable, the newcomer is refused (the view says it is incomplete).
 * Only a node that was asked is admitted: an unsolicited description changes nothing.
 */
final class KnownNodes {

    /** What is remembered of one node. Times are wall-clock milliseconds; -1 for never. */
    static final class Known {
        NodeHandle handle;
        final long firstAskedMillis;
        long lastSeenMillis = -1;
        long unreachableSinceMillis = -1;
        Description report;

        Known(NodeHandle handle, long firstAskedMillis) {
            this.handle = handle;
            this.firstAskedMillis = firstAskedMillis;
        }

        boolean reachable() {
            return lastSeenMillis >= 0 && unreachableSinceMillis < 0;
        }

        long silentSince() {
            return Math.max(lastSeenMillis, firstAskedMillis);
        }
    }

    private final int capacity;
    private final long forgetAfterMillis;
    private final Map<NodeKey, Known> nodes = new LinkedHashMap<>();

    KnownNodes(int capacity, long forgetAfterMillis) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.forgetAfterMillis = forgetAfterMillis;
    }

    int size() {
        return nodes.size();
    }

    Known get(NodeKey key) {
        return nodes.get(key);
    }

    List<Known> all() {
        return new ArrayList<>(nodes.values());
    }

    /**
     * The entry for a node about to be asked, admitted if new and there is room; null when the
     * memory is full of reachable nodes. A region or address learned from a neighbour list replaces
     * what is remembered only while the node is not answering (its own word, {@link #answered}, wins).
     */
    Known admit(NodeHandle handle, long nowMillis) {
        Known k = nodes.get(handle.key());
        if (k != null) {
            if (!k.reachable() && !handle.region().isEmpty()) {
                k.handle = handle;
            } else if (k.handle.region().isEmpty() && !handle.region().isEmpty() && k.handle.address().equals(handle.address())) {
                k.handle = handle;
            }
            return k;
        }
        if (nodes.size() >= capacity && !evictOne()) {
            return null;
        }
        k = new Known(handle, nowMillis);
        nodes.put(handle.key(), k);
        return k;
    }

    /** The node answered: it is reachable, seen now, under the handle it sent from. Unknown nodes are ignored. */
    Known answered(NodeHandle from, Description report, long nowMillis) {
        Known k = nodes.get(from.key());
        if (k == null) {
            return null;
        }
        k.handle = from;
        k.lastSeenMillis = nowMillis;
        k.unreachableSinceMillis = -1;
        k.report = report;
        return k;
    }

    /** The node was asked and did not answer in time (or could not be reached). */
    void unanswered(NodeKey key, long nowMillis) {
        Known k = nodes.get(key);
        if (k != null && k.unreachableSinceMillis < 0) {
            k.unreachableSinceMillis = nowMillis;
        }
    }

    /** Forgets the nodes that have been unreachable for longer than the forget period. */
    void forgetSilent(long nowMillis) {
        nodes.values().removeIf(k -> !k.reachable() && k.unreachableSinceMillis >= 0
                && nowMillis - k.silentSince() > forgetAfterMillis);
    }

    private boolean evictOne() {
        Known oldest = null;
        for (Known k : nodes.values()) {
            if (!k.reachable() && k.unreachableSinceMillis >= 0 && (oldest == null || k.silentSince() < oldest.silentSince())) {
                oldest = k;
            }
        }
        if (oldest == null) {
            return false;
        }
        nodes.remove(oldest.handle.key());
        return true;
    }
}
