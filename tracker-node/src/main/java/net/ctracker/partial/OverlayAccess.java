package net.ctracker.partial;

import java.util.List;
import java.util.function.Consumer;

import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.time.Scheduler;

/**
 * What the partial trackers use of the overlay, all on the overlay's event loop: next hops, the
 * nodes nearest a key in the leaf set, and acknowledged sends. A seam, so the protocols can be
 * driven in unit tests without a whole overlay.
 */
interface OverlayAccess {

    NodeHandle self();

    boolean joined();

    /** The next hop towards {@code key}'s root, or {@link #self()} if this node is the root as far as it knows. */
    NodeHandle nextHop(NodeKey key);

    /** This node and its leaf set, nearest to {@code key} first, at most {@code count}. */
    List<NodeHandle> closest(NodeKey key, int count);

    /** Whether this node's leaf set spans {@code key} (only then can it be the key's root or replica). */
    boolean covers(NodeKey key);

    /** Every neighbour (leaf set and routing table). */
    List<NodeHandle> neighbours();

    /** Sends a tracker payload; {@code done} runs on the loop with true once acknowledged, false on failure. */
    void send(NodeHandle to, byte[] payload, Consumer<Boolean> done);

    Scheduler scheduler();

    /** The production adapter. */
    static OverlayAccess of(OverlayNode node, Scheduler scheduler) {
        return new OverlayAccess() {
            @Override
            public NodeHandle self() {
                return node.handle();
            }

            @Override
            public boolean joined() {
                return node.isJoined();
            }

            @Override
            public NodeHandle nextHop(NodeKey key) {
                return node.nextHopFor(key);
            }

            @Override
            public List<NodeHandle> closest(NodeKey key, int count) {
                return node.closestTo(key, count);
            }

            @Override
            public boolean covers(NodeKey key) {
                return node.coversKey(key);
            }

            @Override
            public List<NodeHandle> neighbours() {
                return node.neighbourHandles();
            }

            @Override
            public void send(NodeHandle to, byte[] payload, Consumer<Boolean> done) {
                node.sendDirect(to, TrackerCodec.APP_TYPE, payload).whenComplete((v, e) -> done.accept(e == null));
            }

            @Override
            public Scheduler scheduler() {
                return scheduler;
            }
        };
    }
}
