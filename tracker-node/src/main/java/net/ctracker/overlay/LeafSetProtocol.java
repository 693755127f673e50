package net.ctracker.overlay;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import net.ctracker.overlay.message.Message.LeafExchange;
import net.ctracker.overlay.routing.LeafSet;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;

/**
 * Leaf-set maintenance: the leaf set holds the numerically nearest live nodes on each side, so it
 * decides which keys this node is root of. Every {@code leafExchangePeriodMillis} it exchanges
 * leaf sets with one random member on each side (gaps left by lost updates close); a node newly
 * admitted to the leaf set is sent ours at once (this merges leaf sets after a partition heals, at
 * no cost while the leaf set is stable); a side that lost a member is repaired from its farthest
 * live member. What others send is only considered ({@link DiscoveryProtocol#consider}), never
 * admitted unprobed. Event-loop state.
 */
final class LeafSetProtocol {

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final DiscoveryProtocol discovery;
    private final boolean[] recheckScheduled = new boolean[2];
    /** The node last asked for its leaves, and when: the same question twice at one instant is asked once. */
    private NodeHandle lastAsked;
    private long lastAskedAtMillis = Long.MIN_VALUE;

    LeafSetProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, DiscoveryProtocol discovery) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.discovery = discovery;
    }

    void start() {
        ctx.every(ctx.config.leafSets().leafExchangePeriodMillis(), this::exchange);
    }

    /** Leaf-set exchange with one random member on each side, reply wanted. */
    private void exchange() {
        LeafSet leafSet = neighbourhood.leafSet();
        List<NodeHandle> mine = neighbourhood.leafHandlesWithSelf();
        Set<Neighbour> partners = new LinkedHashSet<>();
        for (List<Neighbour> side : List.of(leafSet.clockwise(), leafSet.counterClockwise())) {
            if (!side.isEmpty()) {
                partners.add(side.get(ctx.random.nextInt(side.size())));
            }
        }
        for (Neighbour n : partners) {
            sender.post(n.handle(), new LeafExchange(mine, true));
        }
    }

    void received(NodeHandle from, LeafExchange m) {
        ctx.checkLoop();
        if (!ctx.joined()) {
            return;
        }
        m.leaves().forEach(discovery::consider);
        if (m.replyWanted()) {
            sender.post(from, new LeafExchange(neighbourhood.leafHandlesWithSelf(), false));
        }
    }

    /** A node just entered our leaf set: it hears of all our leaves and contacts those it lacks. */
    void welcome(NodeHandle leaf) {
        sender.post(leaf, new LeafExchange(neighbourhood.leafHandlesWithSelf(), false));
    }

    /**
     * Right after joining: the root's leaf set is centred on the root, not on us, so ask the farthest
     * leaf on each side for its leaf set to find the nodes just beyond it.
     */
    void askFarthest() {
        askForLeaves(neighbourhood.leafSet().farthest(true));
        askForLeaves(neighbourhood.leafSet().farthest(false));
    }

    /**
     * Asks the farthest live member of a side that lost a member for its leaf set, and again half a
     * ping period and a whole one later: after many failures at once, that member was often still
     * repairing its own leaf set when it answered (with one recheck, two of seven seeds of the
     * 10%-failure simulation still had inexact leaf sets after three ping periods).
     */
    void repairSide(boolean clockwise) {
        ctx.checkLoop();
        askForLeaves(neighbourhood.leafSet().farthest(clockwise));
        int side = clockwise ? 0 : 1;
        if (!recheckScheduled[side]) {
            recheckScheduled[side] = true;
            long half = ctx.config.pings().pingPeriodMillis() / 2;
            ctx.after(half, () -> recheck(clockwise, side, true));
        }
    }

    private void recheck(boolean clockwise, int side, boolean again) {
        ctx.checkLoop();
        if (ctx.stopped()) {
            recheckScheduled[side] = false;
            return;
        }
        askForLeaves(neighbourhood.leafSet().farthest(clockwise));
        if (again) {
            ctx.after(ctx.config.pings().pingPeriodMillis() / 2, () -> recheck(clockwise, side, false));
        } else {
            recheckScheduled[side] = false;
        }
    }

    /**
     * Asks {@code n} for its leaf set, unless it was asked at this very instant already: in a leaf
     * set that holds every node, the farthest member on both sides is one node, and both sides ask
     * it when one node fails or this one joins (the second query said nothing new, and went in the
     * same millisecond with the same bytes).
     */
    private void askForLeaves(Neighbour n) {
        if (n == null) {
            return;
        }
        long now = ctx.now();
        if (n.handle().equals(lastAsked) && now == lastAskedAtMillis) {
            return;
        }
        lastAsked = n.handle();
        lastAskedAtMillis = now;
        sender.post(n.handle(), new LeafExchange(neighbourhood.leafHandlesWithSelf(), true));
    }
}
