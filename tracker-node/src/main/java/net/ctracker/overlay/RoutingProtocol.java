package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import net.ctracker.overlay.message.Message.Join;
import net.ctracker.overlay.message.Message.Lookup;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.Message.Routed;
import net.ctracker.overlay.routing.LeafSet;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/**
 * Prefix routing: the next hop for a key, and taking routed messages (JOIN, ROUTE, LOOKUP) one hop
 * further or handing them to their protocol at the root.
 *
 * <p>The root of a key is the live node with the smallest ring distance to it, ties to the smaller
 * node key. A key within the leaf set's span goes to the closest of this node and its leaves
 * (delivered here if that is this node); else to the routing-table cell {@code [shared prefix][next
 * digit]}, best entry by link quality, then RTT; else to any neighbour strictly closer than this
 * node. Neighbours whose fast re-probes failed are avoided. Each hop is acknowledged; a failed hop
 * is retried via the next choice, up to {@code maxRouteAttempts}; messages over {@code maxHops} are
 * dropped (loop guard). Event-loop state (it owns none of its own).
 */
final class RoutingProtocol {

    /** Where routed messages end when this node is their root. */
    interface Roots {
        void join(Join message);

        void route(Route message);

        void lookup(Lookup message);
    }

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final Applications applications;
    private final FailureDetector failures;
    private final Roots roots;

    RoutingProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, Applications applications,
                    FailureDetector failures, Roots roots) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.applications = applications;
        this.failures = failures;
        this.roots = roots;
    }

    /**
     * The next hop for {@code key}, or null if this node is the root as far as it knows. Never
     * returns a node with key {@code exclude} (the joiner, while routing its own JOIN).
     */
    Neighbour nextHop(NodeKey key, NodeKey exclude) {
        ctx.checkLoop();
        NodeKey me = ctx.self.key();
        if (key.equals(me)) {
            return null;
        }
        LeafSet leafSet = neighbourhood.leafSet();
        if (leafSet.covers(key)) {
            Closest closest = new Closest(key, me);
            leafSet.clockwise().forEach(n -> closest.offer(n, exclude));
            leafSet.counterClockwise().forEach(n -> closest.offer(n, exclude));
            return closest.best;
        }
        int row = me.sharedPrefixLength(key);
        Neighbour viaTable = neighbourhood.table().best(row, key.digit(row),
                n -> !n.key().equals(exclude) && !failures.avoided(n), ctx.config.tables().linkQualityStep());
        if (viaTable != null) {
            return viaTable;
        }
        Closest closest = new Closest(key, me);
        neighbourhood.all().forEach(n -> closest.offer(n, exclude));
        return closest.best;
    }

    /** Running minimum of ring distance to a key; starts at this node, so only strictly closer nodes win. */
    private final class Closest {
        private final NodeKey target;
        private NodeKey bestKey;
        private NodeKey bestDistance;
        private Neighbour best;

        Closest(NodeKey target, NodeKey start) {
            this.target = target;
            this.bestKey = start;
            this.bestDistance = target.distance(start);
        }

        void offer(Neighbour n, NodeKey exclude) {
            NodeKey k = n.key();
            if (k.equals(exclude) || failures.avoided(n)) {
                return;
            }
            NodeKey d = target.distance(k);
            int c = d.compareTo(bestDistance);
            if (c < 0 || (c == 0 && k.compareTo(bestKey) < 0)) {
                best = n;
                bestKey = k;
                bestDistance = d;
            }
        }
    }

    /**
     * This node and its leaf-set members, nearest to {@code key} first (ring distance, ties to the
     * smaller key, as the root rule), at most {@code count}. Every member counts, suspects too: this
     * is what the node knows of the ring, not a routing choice.
     */
    List<NodeHandle> closestTo(NodeKey key, int count) {
        ctx.checkLoop();
        List<NodeHandle> all = new ArrayList<>();
        all.add(ctx.self);
        for (Neighbour n : neighbourhood.leafSet().members()) {
            all.add(n.handle());
        }
        all.sort(Comparator.comparing(NodeHandle::key, (a, b) -> NodeKey.compareByDistance(key, a, b)));
        return List.copyOf(all.subList(0, Math.max(0, Math.min(count, all.size()))));
    }

    /** Takes a routed message one hop further, or delivers it here. On a failed hop, retries via the next choice. */
    void routeOnward(Routed message, int attempt) {
        ctx.checkLoop();
        if (message.hops() > ctx.config.routing().maxHops()) {
            ctx.counters.droppedHopLimit++;
            return;
        }
        NodeKey exclude = message instanceof Join j ? j.joiner().key() : null;
        Neighbour next = nextHop(message.key(), exclude);
        if (next == null) {
            deliverHere(message);
            return;
        }
        Routed outgoing = message;
        if (message instanceof Route route) {
            Route forwarded = applications.forward(route, next.handle());
            if (forwarded == null) {
                return;
            }
            outgoing = forwarded.nextHop();
        } else if (message instanceof Join join) {
            outgoing = join.nextHop();
        }
        sender.send(next.handle(), outgoing, rtt -> { }, () -> {
            if (attempt + 1 < ctx.config.routing().maxRouteAttempts() && !ctx.stopped()) {
                routeOnward(message, attempt + 1);
            }
        });
    }

    /** Routed is sealed to these three; each has its protocol at the root. */
    private void deliverHere(Routed message) {
        if (message instanceof Join join) {
            roots.join(join);
        } else if (message instanceof Route route) {
            ctx.counters.delivered(route.hops());
            roots.route(route);
        } else if (message instanceof Lookup lookup) {
            ctx.counters.delivered(lookup.hops());
            roots.lookup(lookup);
        } else {
            throw new IllegalStateException("no protocol takes " + message.type() + " at its root");
        }
    }
}
