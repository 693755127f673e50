package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.ctracker.overlay.message.Message.Join;
import net.ctracker.overlay.message.Message.JoinAck;
import net.ctracker.overlay.message.Message.JoinNack;
import net.ctracker.overlay.message.Message.Piggy;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.time.Cancellable;

/**
 * Joining, both sides of it.
 *
 * <p>As joiner: JOIN goes to the bootstrap addresses in turn (retried after {@code joinRetryMillis}
 * on refusal or failure, or via the next address after {@code joinTimeoutMillis} without answer).
 * Every hop sends a PIGGY with the routing row it shares with the joiner; the root answers JOIN_ACK
 * with its leaf set. The joiner then announces itself (UPDATE) to everyone it learned of, each
 * acknowledgement admitting that node with a first RTT sample; one initial RTO later it asks the
 * farthest leaf on each side for its leaf set, two later it sweeps its routing rows (see
 * {@link RouteSetProtocol#sweepAfterJoin}). With no bootstrap address other than its own, a node
 * forms a new overlay at once; when every bootstrap address is unreachable or not joined, the
 * listed node whose address sorts first forms it.
 *
 * <p>As hop: a node that has not joined refuses (JOIN_NACK, not joined); a joiner claiming this
 * node's key, or a key that failed within the grace period, is refused with the wait. A joiner
 * whose key is a neighbour restarted: the old incarnation is forgotten. Event-loop state.
 */
final class JoinProtocol {

    private final NodeContext ctx;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final DiscoveryProtocol discovery;
    private final FailureDetector failures;
    private final RoutingProtocol routing;
    private final LeafSetProtocol leafSets;
    private final RouteSetProtocol routeSets;
    private final Runnable onJoined;

    private boolean started;
    private List<String> bootstrap = List.of();
    private int bootstrapCursor;
    private String currentBootstrap;
    private final Set<String> idleBootstraps = new HashSet<>();
    private boolean listedInBootstrap;
    private int joinAttempt;
    private Cancellable joinTimer = Cancellable.NONE;
    private final Map<NodeKey, NodeHandle> joinCandidates = new LinkedHashMap<>();

    /** @param onJoined runs once, when this node has joined (or formed) the overlay */
    JoinProtocol(NodeContext ctx, Neighbourhood neighbourhood, Sender sender, DiscoveryProtocol discovery,
                 FailureDetector failures, RoutingProtocol routing, LeafSetProtocol leafSets, RouteSetProtocol routeSets,
                 Runnable onJoined) {
        this.ctx = ctx;
        this.neighbourhood = neighbourhood;
        this.sender = sender;
        this.discovery = discovery;
        this.failures = failures;
        this.routing = routing;
        this.leafSets = leafSets;
        this.routeSets = routeSets;
        this.onJoined = onJoined;
    }

    /** @param others bootstrap addresses other than ours; {@code listed}: ours was among them */
    void start(List<String> others, boolean listed) {
        ctx.checkLoop();
        if (started || ctx.stopped()) {
            return;
        }
        started = true;
        bootstrap = others;
        listedInBootstrap = listed;
        if (bootstrap.isEmpty()) {
            becomeJoined();
        } else {
            tryJoin();
        }
    }

    void stop() {
        joinTimer.cancel();
    }

    private void tryJoin() {
        if (ctx.joined() || ctx.stopped()) {
            return;
        }
        int attempt = ++joinAttempt;
        String address = bootstrap.get(bootstrapCursor++ % bootstrap.size());
        currentBootstrap = address;
        joinTimer.cancel();
        joinTimer = ctx.after(ctx.config.joins().joinTimeoutMillis(), () -> {
            if (attempt == joinAttempt) {
                bootstrapIdle(address);
                tryJoin();
            }
        });
        sender.sendToAddress(address, new Join(ctx.self, 0), rtt -> { }, () -> {
            if (attempt == joinAttempt && !ctx.joined()) {
                bootstrapIdle(address);
                retryJoinLater(ctx.config.joins().joinRetryMillis());
            }
        });
    }

    /**
     * A bootstrap address is unreachable or not joined itself. When that holds for every address
     * and ours sorts first among them, nobody else can start the overlay: we form it (so a whole
     * StatefulSet starting at once does not wait on itself forever). The others then join us.
     * Only a node that is itself one of the bootstrap addresses may do so: a node told to join
     * through somebody else keeps trying, so an unreachable seed never splits the overlay in two.
     */
    private void bootstrapIdle(String address) {
        idleBootstraps.add(address);
        if (!ctx.joined() && listedInBootstrap && idleBootstraps.containsAll(bootstrap)
                && bootstrap.stream().allMatch(a -> ctx.self.address().compareTo(a) < 0)) {
            becomeJoined();
        }
    }

    private void retryJoinLater(long delayMillis) {
        int attempt = ++joinAttempt;
        joinTimer.cancel();
        joinTimer = ctx.after(delayMillis, () -> {
            if (attempt == joinAttempt) {
                tryJoin();
            }
        });
    }

    private void becomeJoined() {
        if (ctx.joined()) {
            return;
        }
        ctx.joined(true);
        joinTimer.cancel();
        onJoined.run();
    }

    /** A JOIN routed through (or to) this node. */
    void received(Join join) {
        ctx.checkLoop();
        NodeHandle joiner = join.joiner();
        OverlayConfig config = ctx.config;
        if (!ctx.joined()) {
            sender.postUntracked(joiner, new JoinNack(config.joins().joinRetryMillis(), false));
            return;
        }
        if (joiner.key().equals(ctx.self.key())) {
            // a node claiming our key: never admit it
            sender.postUntracked(joiner, new JoinNack(config.failures().gracePeriodMillis(), true));
            return;
        }
        long wait = discovery.graceLeftMillis(joiner.key());
        if (wait > 0) {
            sender.postUntracked(joiner, new JoinNack(Math.max(config.joins().joinRetryMillis(), wait), true));
            return;
        }
        if (neighbourhood.contains(joiner.key())) {
            // the joiner restarted under the same key: forget the old incarnation, its UPDATE re-adds it
            failures.remove(joiner, false);
        }
        int row = ctx.self.key().sharedPrefixLength(joiner.key());
        sender.postUntracked(joiner, new Piggy(row, neighbourhood.rowWithSelf(row)));
        routing.routeOnward(join, 0);
    }

    /** This node is the root of a joiner's key: it hands over its leaf set. */
    void answerAsRoot(Join join) {
        sender.postUntracked(join.joiner(), new JoinAck(neighbourhood.leafHandlesWithSelf()));
    }

    void received(Piggy piggy) {
        ctx.checkLoop();
        for (NodeHandle h : piggy.entries()) {
            learnedDuringJoin(h);
        }
    }

    private void learnedDuringJoin(NodeHandle h) {
        if (h.key().equals(ctx.self.key())) {
            return;
        }
        if (!ctx.joined()) {
            joinCandidates.putIfAbsent(h.key(), h);
        } else if (!neighbourhood.contains(h.key()) && !discovery.probing(h)) {
            discovery.announceTo(h);
        }
    }

    void received(NodeHandle root, JoinAck ack) {
        ctx.checkLoop();
        if (ctx.stopped()) {
            return;
        }
        if (ctx.joined()) {
            ack.leafSet().forEach(discovery::consider);
            return;
        }
        joinCandidates.putIfAbsent(root.key(), root);
        ack.leafSet().forEach(h -> {
            if (!h.key().equals(ctx.self.key())) {
                joinCandidates.putIfAbsent(h.key(), h);
            }
        });
        becomeJoined();
        List<NodeHandle> learned = new ArrayList<>(joinCandidates.values());
        joinCandidates.clear();
        learned.forEach(discovery::announceTo);
        ctx.after(ctx.config.timeouts().initialRtoMillis(), () -> {
            if (!ctx.stopped()) {
                leafSets.askFarthest();
            }
        });
        if (ctx.config.routeSets().rowSweepAfterJoin()) {
            ctx.after(2 * ctx.config.timeouts().initialRtoMillis(), routeSets::sweepAfterJoin);
        }
    }

    void received(JoinNack nack) {
        ctx.checkLoop();
        if (!ctx.joined() && !ctx.stopped()) {
            if (!nack.senderJoined() && currentBootstrap != null) {
                bootstrapIdle(currentBootstrap);
                if (ctx.joined()) {
                    return;
                }
            }
            joinCandidates.clear();
            retryJoinLater(Math.max(ctx.config.joins().joinRetryMillis(), nack.retryAfterMillis()));
        }
    }
}
