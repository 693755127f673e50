package net.ctracker.overlay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.Message;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Join;
import net.ctracker.overlay.message.Message.JoinAck;
import net.ctracker.overlay.message.Message.JoinNack;
import net.ctracker.overlay.message.Message.LeafExchange;
import net.ctracker.overlay.message.Message.Lookup;
import net.ctracker.overlay.message.Message.LookupReply;
import net.ctracker.overlay.message.Message.Piggy;
import net.ctracker.overlay.message.Message.Ping;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.Message.RowExchange;
import net.ctracker.overlay.message.Message.Update;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.Neighbour;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.time.Scheduler;

/**
 * One overlay node: Chimera/Pastry-style prefix routing with a leaf set. This class is the facade:
 * the thread-safe API, the dispatch of inbound messages to the protocols, and the snapshots. The
 * protocols are package-private classes that each own their state and timers:
 *
 * <ul>
 *   <li>{@link JoinProtocol}: joining, as joiner and as hop;</li>
 *   <li>{@link RoutingProtocol}: next hops, forwarding, delivery at the root;</li>
 *   <li>{@link FailureDetector}: suspects, re-probes, removal; {@link PingProtocol}: liveness pings;</li>
 *   <li>{@link LeafSetProtocol} and {@link RouteSetProtocol}: leaf-set and routing-table maintenance;</li>
 *   <li>{@link ObituaryProtocol}: death notices; {@link DiscoveryProtocol}: probing and admission of
 *       nodes heard of, memory of removed nodes;</li>
 *   <li>{@link LookupProtocol}: lookups; {@link Applications}: upcalls.</li>
 * </ul>
 * They share the neighbour tables through {@link Neighbourhood} and the node's identity, settings,
 * loop and counters through {@link NodeContext}, and send through one {@link Sender}.
 *
 * <p>One event loop: every public method that changes state posts its work onto the node's
 * {@link Scheduler}, whose single thread is the only writer of the node's state; the methods marked
 * "event loop only" may be called only from that thread (upcalls, the simulator) and check it.
 * Other threads read {@link #snapshot()}, an immutable copy published through a volatile field.
 * Nothing in the protocols takes a lock or starts a thread.
 *
 * <p>Invariants: the leaf set holds the numerically nearest live nodes known on each side; the
 * routing table holds at most {@code cellCapacity} nodes per cell; nodes heard of from third parties
 * enter only after they answered a probe themselves; a neighbour that misses acknowledgements is
 * removed only after failed re-probes, and is not re-admitted for the grace period unless it speaks
 * to us directly.
 *
 * <p>Threat model: nodes of one overlay trust each other (a cluster run by one operator); the
 * transport authenticates peers with a cluster secret. Against malformed or hostile input the node
 * bounds what it stores (fixed-size tables, bounded memories, hop limit) and never blocks; it does not
 * defend against a member that lies about routing (no secure routing).
 */
public final class OverlayNode {

    private final NodeContext ctx;
    private final Scheduler scheduler;
    private final Applications applications = new Applications();
    /** Guards {@link #leaving}: {@link #receive} checks it and posts under the lock {@link #leave} sets it under. */
    private final Object leaveLock = new Object();
    /** Set by {@link #leave}: inbound messages are refused from then on. */
    private boolean leaving;
    private final Neighbourhood neighbourhood;
    private final Sender sender;
    private final FailureDetector failures;
    private final ObituaryProtocol obituaries;
    private final DiscoveryProtocol discovery;
    private final LeafSetProtocol leafSets;
    private final RouteSetProtocol routeSets;
    private final PingProtocol pings;
    private final RoutingProtocol routing;
    private final LookupProtocol lookups;
    private final JoinProtocol joining;

    private volatile NodeSnapshot snapshot;

    public OverlayNode(NodeHandle self, OverlayConfig config, Scheduler scheduler, Transport transport,
                       RandomGenerator random) {
        this.ctx = new NodeContext(self, config, scheduler, random);
        this.scheduler = scheduler;
        this.neighbourhood = new Neighbourhood(ctx, applications);
        // back-edges (a protocol told of something by one built after it) go through this facade's fields
        this.sender = new Sender(ctx, neighbourhood, Objects.requireNonNull(transport), new Sender.Misses() {
            @Override
            public void suspect(NodeHandle neighbour, Runnable then) {
                failures.suspect(neighbour, then);
            }

            @Override
            public void failed(NodeHandle node) {
                failures.remove(node, true);
            }
        });
        this.failures = new FailureDetector(ctx, neighbourhood, sender, new FailureDetector.Events() {
            @Override
            public void died(NodeHandle node, boolean wasNeighbour) {
                discovery.died(node);
                if (wasNeighbour) {
                    // only a neighbour that failed verification (or said goodbye) is announced, never a
                    // candidate whose single probe went unanswered
                    obituaries.publish(node.key(), ctx.now());
                }
            }

            @Override
            public void leafSideLost(boolean clockwise) {
                leafSets.repairSide(clockwise);
            }

            @Override
            public void heardFrom(NodeHandle node) {
                obituaries.withdraw(node.key()); // alive after all: stop passing on its death
            }

            @Override
            public void strangerHeard(NodeHandle node) {
                discovery.heardDirectly(node);
            }
        });
        this.obituaries = new ObituaryProtocol(ctx, neighbourhood, sender, failures);
        this.discovery = new DiscoveryProtocol(ctx, neighbourhood, sender, obituaries, this::welcome);
        this.leafSets = new LeafSetProtocol(ctx, neighbourhood, sender, discovery);
        this.routeSets = new RouteSetProtocol(ctx, neighbourhood, sender, discovery, failures);
        this.pings = new PingProtocol(ctx, neighbourhood, sender, obituaries);
        this.routing = new RoutingProtocol(ctx, neighbourhood, sender, applications, failures, new RoutingProtocol.Roots() {
            @Override
            public void join(Join message) {
                joining.answerAsRoot(message);
            }

            @Override
            public void route(Route message) {
                applications.deliver(message);
            }

            @Override
            public void lookup(Lookup message) {
                lookups.answer(message);
            }
        });
        this.lookups = new LookupProtocol(ctx, sender, routing);
        this.joining = new JoinProtocol(ctx, neighbourhood, sender, discovery, failures, routing, leafSets, routeSets,
                this::joined);
        this.snapshot = buildSnapshot();
    }

    /** A node entered the leaf set through admission: the leaf-set protocol sends it our leaf set. */
    private void welcome(NodeHandle leaf) {
        leafSets.welcome(leaf);
    }

    /**
     * Starts maintenance once joined. The order in which the protocols start their timers is part of
     * what a simulator seed replays (each draws its random phase): keep it.
     */
    private void joined() {
        pings.start();
        leafSets.start();
        routeSets.start();
        discovery.start();
        if (ctx.config.snapshotPeriodMillis() > 0) {
            // counters change with every message, so publish every period, not only on table changes
            ctx.every(ctx.config.snapshotPeriodMillis(), this::snapshotNow);
        }
        snapshotNow();
    }

    // =================================================================== public, thread-safe API

    public NodeHandle handle() {
        return ctx.self;
    }

    /** The node's event loop: applications registered on it schedule their own timers here. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Starts the node. With no bootstrap address other than its own, it forms a new overlay at once;
     * otherwise it sends JOIN to the addresses in turn until one join succeeds.
     */
    public void start(List<String> bootstrapAddresses) {
        List<String> others = bootstrapAddresses.stream().filter(a -> !a.equals(ctx.self.address())).toList();
        boolean listed = others.size() < bootstrapAddresses.size();
        ctx.post(() -> joining.start(others, listed));
    }

    /** Inbound message from the transport: decoded envelope. */
    public boolean receive(Envelope envelope) {
        return receive(envelope.from(), envelope.message());
    }

    /**
     * Inbound message from the transport. Returns at once; the message is handled on the event loop.
     * Returns false once the node is leaving, has left or shut down: the transport must then not acknowledge the
     * message (an acknowledgement is proof of life to the sender).
     */
    public boolean receive(NodeHandle from, Message message) {
        Objects.requireNonNull(from);
        Objects.requireNonNull(message);
        synchronized (leaveLock) {
            // under the lock that leave() sets the flag under: a message accepted here is posted
            // before leave's first task, so what it queues is sent with the rest
            if (ctx.stopped() || leaving) {
                return false;
            }
            ctx.post(() -> dispatch(from, message));
        }
        return true;
    }

    /** Registers the application for {@code appType}, replacing any earlier one. Any thread. */
    public void register(String appType, Application application) {
        applications.register(appType, application);
    }

    /**
     * Sets the listener told of every RTT sample (see {@link RttListener}), replacing any earlier
     * one; null removes it. Any thread; the listener is called on the event loop.
     */
    public void setRttListener(RttListener listener) {
        sender.rttListener(listener);
    }

    /** Routes an application message towards the root of {@code key}. */
    public void route(NodeKey key, String appType, byte[] payload) {
        checkApplicationMessage(appType, payload);
        Route message = new Route(key, ctx.self, 0, appType, payload);
        ctx.post(() -> {
            if (ctx.joined() && !ctx.stopped()) {
                routing.routeOnward(message, 0);
            }
        });
    }

    /** Sends an application message straight to a known node; the future completes when it is acknowledged. */
    public CompletableFuture<Void> sendDirect(NodeHandle to, String appType, byte[] payload) {
        checkApplicationMessage(appType, payload);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Direct message = new Direct(appType, payload);
        ctx.post(() -> sender.send(to, message,
                rtt -> done.complete(null),
                () -> done.completeExceptionally(new IllegalStateException("not acknowledged by " + to))));
        return done;
    }

    /** Rejects, on the caller's thread, what the wire format could not carry. */
    private static void checkApplicationMessage(String appType, byte[] payload) {
        if (appType.getBytes(StandardCharsets.UTF_8).length > MessageCodec.MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("appType over " + MessageCodec.MAX_LABEL_BYTES + " bytes");
        }
        if (payload.length > MessageCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload over " + MessageCodec.MAX_PAYLOAD_BYTES + " bytes");
        }
    }

    /**
     * Finds the root of {@code key} by routing a LOOKUP whose root answers this node directly. The
     * future completes on the event loop (use the async variants for long work) or fails with a
     * {@link TimeoutException} after the lookup timeout.
     */
    public CompletableFuture<LookupResult> lookup(NodeKey key) {
        CompletableFuture<LookupResult> future = new CompletableFuture<>();
        ctx.post(() -> lookups.start(key, future));
        return future;
    }

    /**
     * Leaves the overlay politely: from now on messages are refused (what they would queue could not
     * go out any more, and their senders try another route), the applications send what they still
     * have queued, then every neighbour is told, then the node stops. The future completes on the
     * event loop once the goodbyes are handed to the transport; at once if the node had stopped.
     */
    public CompletableFuture<Void> leave() {
        if (ctx.stopped()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> left = new CompletableFuture<>();
        synchronized (leaveLock) {
            leaving = true;
            ctx.post(() -> leaveNow(left));
        }
        return left;
    }

    /** Leave's work on the loop: the applications' last sends, then (in a later task) the goodbyes and the stop. */
    private void leaveNow(CompletableFuture<Void> left) {
        if (ctx.stopped()) {
            left.complete(null);
            return;
        }
        try {
            applications.leaving();
        } finally {
            // what the applications sent was posted to this loop: the goodbyes and the stop go after it
            ctx.post(() -> {
                if (!ctx.stopped()) {
                    for (Neighbour n : new ArrayList<>(neighbourhood.all())) {
                        sender.postUntracked(n.handle(), new Update(false));
                    }
                    stop();
                }
                left.complete(null);
            });
        }
    }

    /** Stops without telling anyone (like a crash, but releasing timers). */
    public void shutdown() {
        ctx.post(this::stop);
    }

    /** The latest published snapshot; safe from any thread. */
    public NodeSnapshot snapshot() {
        return snapshot;
    }

    // ================================================== event loop only (upcalls, simulator, tests)

    /** Builds and publishes a fresh snapshot. Event loop only. */
    public NodeSnapshot snapshotNow() {
        ctx.checkLoop();
        snapshot = buildSnapshot();
        return snapshot;
    }

    /** Whether this node has joined the overlay (and not left). Event loop only. */
    public boolean isJoined() {
        ctx.checkLoop();
        return ctx.joined();
    }

    /** Next hop this node would choose for {@code key}: a neighbour, or its own handle if it is the root. Event loop only. */
    public NodeHandle nextHopFor(NodeKey key) {
        Neighbour n = routing.nextHop(key, null);
        return n == null ? ctx.self : n.handle();
    }

    /**
     * This node and its leaf-set members, nearest to {@code key} first by ring distance (ties to the
     * numerically smaller key, as the root rule), at most {@code count}: within the leaf set's span
     * ({@link #coversKey}) the first is the key's root and the next ones its replica holders. Event
     * loop only.
     */
    public List<NodeHandle> closestTo(NodeKey key, int count) {
        return routing.closestTo(key, count);
    }

    /**
     * Whether {@code key} lies within the leaf set's span, or the leaf set is not full (then this node
     * knows the whole ring): then this node can tell the key's root itself ({@link #closestTo}).
     * Event loop only.
     */
    public boolean coversKey(NodeKey key) {
        ctx.checkLoop();
        return neighbourhood.leafSet().covers(key);
    }

    /** Every neighbour (leaf set and routing table). Event loop only. */
    public List<NodeHandle> neighbourHandles() {
        ctx.checkLoop();
        return neighbourhood.all().stream().map(Neighbour::handle).toList();
    }

    /** Leaf set, clockwise side, nearest first. Event loop only. */
    public List<NodeHandle> leafSetClockwise() {
        ctx.checkLoop();
        return neighbourhood.leafSet().clockwise().stream().map(Neighbour::handle).toList();
    }

    /** Leaf set, counter-clockwise side, nearest first. Event loop only. */
    public List<NodeHandle> leafSetCounterClockwise() {
        ctx.checkLoop();
        return neighbourhood.leafSet().counterClockwise().stream().map(Neighbour::handle).toList();
    }

    // =================================================================== inbound dispatch

    private void dispatch(NodeHandle from, Message message) {
        ctx.checkLoop();
        if (ctx.stopped()) {
            return;
        }
        ctx.counters.received(message.type());
        message.accept(new Dispatcher(from));
    }

    /**
     * Hands each message type to its protocol; a visitor, so a new message type does not compile
     * until it is handled here. Every message but those of joining (JOIN, PIGGY, JOIN_ACK,
     * JOIN_NACK) and a goodbye comes from a member and is proof of its life, before anything else.
     */
    private final class Dispatcher implements Message.Visitor<Void> {
        private final NodeHandle from;

        Dispatcher(NodeHandle from) {
            this.from = from;
        }

        @Override
        public Void join(Join m) {
            joining.received(m);
            return null;
        }

        @Override
        public Void piggy(Piggy m) {
            joining.received(m);
            return null;
        }

        @Override
        public Void joinAck(JoinAck m) {
            joining.received(from, m);
            return null;
        }

        @Override
        public Void joinNack(JoinNack m) {
            joining.received(m);
            return null;
        }

        @Override
        public Void update(Update m) {
            if (m.joined()) {
                failures.heardFrom(from);
            } else {
                failures.remove(from, true); // a goodbye
            }
            return null;
        }

        @Override
        public Void ping(Ping m) {
            failures.heardFrom(from);
            // the transport acknowledgement is the answer; the notices it carries are passed on
            m.obituaries().forEach(obituaries::received);
            return null;
        }

        @Override
        public Void leafExchange(LeafExchange m) {
            failures.heardFrom(from);
            leafSets.received(from, m);
            return null;
        }

        @Override
        public Void rowExchange(RowExchange m) {
            failures.heardFrom(from);
            routeSets.received(from, m);
            return null;
        }

        @Override
        public Void route(Route m) {
            failures.heardFrom(from);
            if (ctx.joined()) {
                routing.routeOnward(m, 0);
            }
            return null;
        }

        @Override
        public Void direct(Direct m) {
            failures.heardFrom(from);
            applications.direct(from, m);
            return null;
        }

        @Override
        public Void lookup(Lookup m) {
            failures.heardFrom(from);
            lookups.forward(m);
            return null;
        }

        @Override
        public Void lookupReply(LookupReply m) {
            failures.heardFrom(from);
            lookups.complete(m);
            return null;
        }
    }

    private void stop() {
        ctx.checkLoop();
        ctx.stop();
        joining.stop();
        lookups.stop();
        ctx.joined(false);
        snapshotNow();
    }

    // =================================================================== snapshot

    private NodeSnapshot buildSnapshot() {
        List<NodeSnapshot.LeafEntry> leaves = new ArrayList<>();
        for (Neighbour n : neighbourhood.leafSet().clockwise()) {
            leaves.add(leafEntry(n, true));
        }
        for (Neighbour n : neighbourhood.leafSet().counterClockwise()) {
            leaves.add(leafEntry(n, false));
        }
        List<NodeSnapshot.TableEntry> entries = new ArrayList<>();
        neighbourhood.table().forEach(slot -> entries.add(new NodeSnapshot.TableEntry(slot.row(), slot.column(),
                slot.neighbour().key(), slot.neighbour().handle().address(), rttOf(slot.neighbour()))));
        NodeHandle self = ctx.self;
        return new NodeSnapshot(self.key(), self.region(), self.address(), ctx.joined(), ctx.now(),
                leaves, entries, ctx.counters.snapshot());
    }

    private static NodeSnapshot.LeafEntry leafEntry(Neighbour n, boolean clockwise) {
        return new NodeSnapshot.LeafEntry(n.key(), n.handle().address(), n.handle().region(), rttOf(n), clockwise);
    }

    private static double rttOf(Neighbour n) {
        return n.rtt().hasSample() ? n.rtt().srttMillis() : -1;
    }
}
