package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Failure detection: which neighbours are suspects, their verification, and removal.
 *
 * <p>A neighbour that misses an acknowledgement is re-probed up to {@code failureProbes} times with
 * doubling timeouts (a lost packet is not a dead node). Before the last probe, which waits the
 * maximum RTO (a slower path is not a dead node either), routing starts to avoid it and the tasks
 * waiting on it (routed messages to re-route) run; if the last probe is not answered either, it is
 * removed. An answer, or any message from it, clears the suspicion. A death notice from another node
 * is verified the same way ({@link #deathReported}), so a stale notice removes nobody.
 *
 * <p>Invariant: every suspect is a neighbour or is being settled; the waiting tasks of a suspect run
 * exactly once. Events that other protocols act on (a death, a leaf-set side to repair, a proof of
 * life) go out through {@link Events}. Event-loop state.
 */
final class FailureDetector {

    /** What the other protocols learn from failure detection. */
    interface Events {
        /**
         * {@code node} is taken for dead: it failed verification, said goodbye, or a tracked send to
         * it failed; {@code wasNeighbour} tells whether the tables held it. Fired before they change.
         */
        void died(NodeHandle node, boolean wasNeighbour);

        /** A leaf-set side lost a member that died; fired after the tables changed. */
        void leafSideLost(boolean clockwise);

        /** A message came straight from {@code node}: it is alive. Fired first. */
        void heardFrom(NodeHandle node);

        /** A node that is no neighbour spoke to this joined node directly: proof of life, worth a look. */
        void strangerHeard(NodeHandle node);
    }

    /** A neighbour under verification: tasks waiting for the verdict; once avoided, routing goes around it. */
    private static final class Suspicion {
        final List<Runnable> waiting = new ArrayList<>();
        boolean avoided;
    }

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final Events events;
    private final Map<NodeKey, Suspicion> suspects = new HashMap<>();

    FailureDetector(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, Events events) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.events = events;
    }

    /** A neighbour missed an acknowledgement: verify it; {@code then} runs once routing may go around it, or on the verdict. */
    void suspect(NodeHandle h, Runnable then) {
        ctx.checkLoop();
        Suspicion suspicion = suspects.get(h.key());
        if (suspicion != null) {
            if (suspicion.avoided) {
                then.run();
            } else {
                suspicion.waiting.add(then);
            }
            return;
        }
        suspicion = new Suspicion();
        suspicion.waiting.add(then);
        suspects.put(h.key(), suspicion);
        verify(h, 1);
    }

    private void verify(NodeHandle h, int probe) {
        ctx.checkLoop();
        OverlayConfig config = ctx.config;
        Neighbour n = neighbourhood.get(h.key());
        if (n == null || ctx.stopped() || probe > config.failures().failureProbes()) {
            if (n != null && !ctx.stopped()) {
                remove(h, true);
            }
            settle(h.key());
            return;
        }
        boolean last = probe == config.failures().failureProbes();
        if (last) {
            // the fast probes failed: route around it now, but give it the longest RTO before removal,
            // so a link that merely became slower (congestion, a new path) is kept and re-measured
            avoid(h.key());
        }
        long timeout = last ? config.timeouts().maxRtoMillis()
                : Math.min(config.timeouts().maxRtoMillis(), n.rtt().rtoMillis() << Math.min(probe, 16));
        sender.sendUntracked(h, new Ping(), timeout, rtt -> {
            Neighbour m = neighbourhood.get(h.key());
            if (m != null) {
                if (probe > 1) {
                    m.rtt().reset(); // answered only after repeated back-off: the old estimate is bogus
                }
                m.acknowledged(ctx.now(), rtt);
            }
            settle(h.key());
        }, () -> verify(h, probe + 1));
    }

    private void avoid(NodeKey key) {
        Suspicion suspicion = suspects.get(key);
        if (suspicion != null && !suspicion.avoided) {
            suspicion.avoided = true;
            List<Runnable> waiting = new ArrayList<>(suspicion.waiting);
            suspicion.waiting.clear();
            waiting.forEach(Runnable::run);
        }
    }

    /** Whether routing goes around {@code n}: its fast re-probes failed and the last one is pending. */
    boolean avoided(Neighbour n) {
        Suspicion suspicion = suspects.get(n.key());
        return suspicion != null && suspicion.avoided;
    }

    private void settle(NodeKey key) {
        Suspicion suspicion = suspects.remove(key);
        if (suspicion != null) {
            suspicion.waiting.forEach(Runnable::run);
        }
    }

    /**
     * Another node says {@code key} died at {@code diedAtMillis} (local clock). If it is our neighbour
     * and we have not heard from it since (with a margin of the maximum RTO for messages in flight
     * and clock skew), verify it ourselves, exactly as if it had missed an acknowledgement.
     */
    void deathReported(NodeKey key, long diedAtMillis) {
        ctx.checkLoop();
        Neighbour n = neighbourhood.get(key);
        if (n != null && n.lastHeardMillis() <= diedAtMillis + ctx.config.timeouts().maxRtoMillis() && !suspects.containsKey(key)) {
            suspect(n.handle(), () -> { });
        }
    }

    /** A message came straight from {@code from}: it is alive; a stranger is worth a look. */
    void heardFrom(NodeHandle from) {
        ctx.checkLoop();
        events.heardFrom(from);
        Neighbour n = neighbourhood.get(from.key());
        if (n != null && !n.handle().address().equals(from.address())) {
            // the same key at a new address: a restarted node; forget the old incarnation
            remove(n.handle(), false);
            n = null;
        }
        if (n != null) {
            n.heard(ctx.now());
            settle(from.key());
        } else if (ctx.joined()) {
            events.strangerHeard(from);
        }
    }

    /**
     * Removes a neighbour everywhere. {@code failed}: it failed or left, so the others are told
     * ({@link Events#died}: remembered for the grace period and re-probing, a death notice), and a
     * leaf-set side it leaves is repaired. Otherwise it is an old incarnation of a restarted node.
     */
    void remove(NodeHandle handle, boolean failed) {
        ctx.checkLoop();
        NodeKey key = handle.key();
        Neighbour n = neighbourhood.get(key);
        if (failed) {
            events.died(n != null ? n.handle() : handle, n != null);
        }
        if (n == null) {
            return;
        }
        ctx.counters.neighboursRemoved++;
        Neighbourhood.Removal removal = neighbourhood.remove(key);
        if (failed) {
            if (removal.clockwise()) {
                events.leafSideLost(true);
            }
            if (removal.counterClockwise()) {
                events.leafSideLost(false);
            }
        }
    }
}
