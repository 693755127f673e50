package net.ctracker.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import net.ctracker.cluster.ClusterMessage.Describe;
import net.ctracker.cluster.ClusterMessage.Description;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterMessage.Neighbour;
import net.ctracker.overlay.Application;
import net.ctracker.overlay.NodeSnapshot;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.time.Cancellable;
import net.ctracker.time.Clock;
import net.ctracker.time.LogGap;
import net.ctracker.time.Scheduler;

/**
 * The operator's view of the whole cluster, gathered over the overlay (the operator's browser
 * reaches only the node it is connected to). A gathering starts from this node's neighbours and the
 * nodes it remembers ({@link KnownNodes}); each is sent DESCRIBE, and each DESCRIPTION names that
 * node's neighbours, which are asked in turn, until every node learned of has answered or failed.
 * A node that does not answer within the gathering's time is reported unreachable and stays
 * listed. The result is kept for {@code cacheMillis}, and concurrent callers share one gathering.
 *
 * <p>Bounds: at most {@code maxNodes} nodes (this one included), {@code maxInFlight} requests at
 * once, {@code maxBytes} of descriptions and {@code timeoutMillis} per gathering; a gathering cut
 * short by a bound says so ({@link ClusterView#complete()}). Answering costs at most one description
 * per {@value #SELF_CACHE_MILLIS} ms (reused for smaller asks) and {@value #MAX_ANSWERS} answers in
 * flight; more DESCRIBEs are dropped.
 *
 * <p>Everything runs on the overlay's event loop; {@link #view} may be called from any thread.
 * Threat model: cluster members are authenticated by the overlay and trusted, but may be broken: a
 * malformed message is counted, logged at most once every {@value #LOG_GAP_MILLIS} ms and dropped,
 * and an unsolicited description changes nothing.
 */
public final class ClusterProtocol implements Application {

    static final long SELF_CACHE_MILLIS = 1_000;
    static final int MAX_ANSWERS = 32;
    static final long LOG_GAP_MILLIS = 10_000;
    private static final System.Logger LOG = System.getLogger(ClusterProtocol.class.getName());

    /** What this node says of itself besides its overlay state: its store and its largest held lists. */
    public interface LocalFacts {
        int swarms();

        long peers();

        /** The {@code limit} largest full lists held here, largest first; may complete on any thread. */
        CompletableFuture<List<HeldList>> largestSwarms(int limit);
    }

    /**
     * @param timeoutMillis     a gathering's time budget; nodes that have not answered by then are unreachable
     * @param cacheMillis       a finished gathering serves later callers for this long
     * @param maxNodes          nodes in a view and remembered, this node included
     * @param maxBytes          description bytes one gathering takes in before it stops asking
     * @param maxInFlight       DESCRIBE requests outstanding at once
     * @param forgetAfterMillis an unreachable node is forgotten this long after it was last seen
     */
    public record Settings(long timeoutMillis, long cacheMillis, int maxNodes, long maxBytes, int maxInFlight,
                           long forgetAfterMillis) {
        public Settings {
            if (timeoutMillis < 1 || cacheMillis < 0 || maxNodes < 1 || maxBytes < 1 || maxInFlight < 1 || forgetAfterMillis < 1) {
                throw new IllegalArgumentException("cluster view settings out of range");
            }
        }
    }

    private final OverlayNode node;
    private final Scheduler loop;
    private final Clock wall;
    private final Settings settings;
    private final LocalFacts facts;
    private final KnownNodes known;

    private long nextRequestId = 1;
    private Gathering gathering;
    private ClusterView cached;
    private long cachedAtLoopMillis;
    private Description own;
    private long ownAtLoopMillis;
    private int ownLimit = -1;
    private int answering;
    private volatile boolean stopped;
    private long malformed;
    private long droppedAsks;
    private final LogGap malformedLog = new LogGap(LOG_GAP_MILLIS);

    /** One gathering in progress. */
    private final class Gathering {
        final long id = nextRequestId++;
        final int swarmLimit;
        final long startedLoopMillis = loop.nowMillis();
        final List<CompletableFuture<ClusterView>> waiting = new ArrayList<>();
        final Map<CompletableFuture<ClusterView>, Integer> waitingForMore = new LinkedHashMap<>();
        final ArrayDeque<NodeHandle> frontier = new ArrayDeque<>();
        final Set<NodeKey> queued = new HashSet<>();
        final Set<NodeKey> outstanding = new HashSet<>();
        long bytes;
        Description self;
        boolean truncated;
        boolean finished;
        Cancellable deadline = Cancellable.NONE;

        Gathering(int swarmLimit) {
            this.swarmLimit = swarmLimit;
        }
    }

    public ClusterProtocol(OverlayNode node, Scheduler loop, Clock wall, Settings settings, LocalFacts facts) {
        this.node = node;
        this.loop = loop;
        this.wall = wall;
        this.settings = settings;
        this.facts = facts;
        this.known = new KnownNodes(settings.maxNodes() - 1, settings.forgetAfterMillis());
    }

    /** Registers this protocol on its node for {@value ClusterCodec#APP_TYPE} messages. */
    public ClusterProtocol register() {
        node.register(ClusterCodec.APP_TYPE, this);
        return this;
    }

    public void stop() {
        stopped = true;
    }

    /** Messages refused as malformed, and DESCRIBEs dropped because too many answers were in flight. */
    public long malformed() {
        return malformed;
    }

    public long droppedAsks() {
        return droppedAsks;
    }

    /**
     * The cluster as gathered at most {@code cacheMillis} ago with at least {@code swarmLimit}
     * swarms per node, or after a new gathering (at most {@code timeoutMillis}). Any thread; the
     * future completes on the event loop.
     */
    public CompletableFuture<ClusterView> view(int swarmLimit) {
        if (swarmLimit < 0 || swarmLimit > ClusterCodec.MAX_SWARMS) {
            throw new IllegalArgumentException("swarm limit " + swarmLimit + " outside 0.." + ClusterCodec.MAX_SWARMS);
        }
        CompletableFuture<ClusterView> f = new CompletableFuture<>();
        loop.execute(() -> serve(swarmLimit, f));
        return f;
    }

    private void serve(int swarmLimit, CompletableFuture<ClusterView> f) {
        if (stopped) {
            f.completeExceptionally(new IllegalStateException("this node is shutting down"));
            return;
        }
        if (cached != null && loop.nowMillis() - cachedAtLoopMillis < settings.cacheMillis() && cached.swarmLimit() >= swarmLimit) {
            f.complete(cached);
        } else if (gathering != null && gathering.swarmLimit >= swarmLimit) {
            gathering.waiting.add(f);
        } else if (gathering != null) {
            gathering.waitingForMore.put(f, swarmLimit); // one gathering at a time: the next one asks for more
        } else {
            start(swarmLimit).waiting.add(f);
        }
    }

    // ------------------------------------------------------------------ gathering (event loop)

    private Gathering start(int swarmLimit) {
        Gathering g = new Gathering(swarmLimit);
        gathering = g;
        known.forgetSilent(wall.nowMillis());
        for (KnownNodes.Known k : known.all()) {
            enqueue(g, k.handle);
        }
        NodeSnapshot s = node.snapshot();
        s.leafSet().forEach(l -> enqueue(g, new NodeHandle(l.key(), l.address(), l.region())));
        s.routingTable().forEach(t -> enqueue(g, new NodeHandle(t.key(), t.address(), "")));
        g.deadline = loop.schedule(settings.timeoutMillis(), () -> finish(g));
        describeSelf(swarmLimit, d -> {
            g.self = d;
            maybeFinish(g);
        });
        pump(g);
        maybeFinish(g);
        return g;
    }

    private void enqueue(Gathering g, NodeHandle h) {
        if (!h.key().equals(node.handle().key()) && g.queued.add(h.key())) {
            g.frontier.add(h);
        }
    }

    private void pump(Gathering g) {
        byte[] ask = null;
        while (!g.finished && g.outstanding.size() < settings.maxInFlight() && !g.frontier.isEmpty()) {
            if (g.bytes >= settings.maxBytes()) {
                g.truncated = true;
                return;
            }
            NodeHandle h = g.frontier.poll();
            KnownNodes.Known k = known.admit(h, wall.nowMillis());
            if (k == null) {
                g.truncated = true; // the memory is full of reachable nodes
                continue;
            }
            if (ask == null) {
                ask = ClusterCodec.encode(new Describe(g.id, g.swarmLimit));
            }
            NodeKey key = k.handle.key();
            g.outstanding.add(key);
            node.sendDirect(k.handle, ClusterCodec.APP_TYPE, ask).whenComplete((ok, failure) -> {
                if (failure != null) {
                    loop.execute(() -> unanswered(g, key));
                }
            });
        }
    }

    private void unanswered(Gathering g, NodeKey key) {
        if (!g.finished && g.outstanding.remove(key)) {
            known.unanswered(key, wall.nowMillis());
            pump(g);
            maybeFinish(g);
        }
    }

    private void onDescription(NodeHandle from, Description d, int bytes) {
        KnownNodes.Known k = known.answered(from, d, wall.nowMillis());
        Gathering g = gathering;
        if (k == null || g == null || g.finished || d.requestId() != g.id || !g.outstanding.remove(from.key())) {
            return; // late (still counts as a sign of life) or unsolicited
        }
        g.bytes += bytes;
        for (Neighbour n : d.neighbours()) {
            enqueue(g, n.handle());
        }
        pump(g);
        maybeFinish(g);
    }

    private void maybeFinish(Gathering g) {
        if (!g.finished && g.self != null && g.outstanding.isEmpty() && (g.frontier.isEmpty() || g.truncated)) {
            finish(g);
        }
    }

    private void finish(Gathering g) {
        if (g.finished) {
            return;
        }
        g.finished = true;
        g.deadline.cancel();
        long now = wall.nowMillis();
        for (NodeKey key : g.outstanding) {
            known.unanswered(key, now);
        }
        boolean complete = !g.truncated && g.frontier.isEmpty();
        List<ClusterView.NodeState> nodes = new ArrayList<>();
        // this node's description without its swarms if they were not ready in time
        Description self = g.self != null ? g.self : build(node.snapshot(), List.of(), 0);
        nodes.add(new ClusterView.NodeState(node.handle(), true, now, -1, self));
        for (KnownNodes.Known k : known.all()) {
            nodes.add(new ClusterView.NodeState(k.handle, k.reachable(), k.lastSeenMillis, k.unreachableSinceMillis, k.report));
        }
        nodes.sort(Comparator.comparing(n -> n.handle().key()));
        ClusterView view = new ClusterView(node.handle().key(), now, loop.nowMillis() - g.startedLoopMillis, complete,
                g.swarmLimit, nodes);
        cached = view;
        cachedAtLoopMillis = loop.nowMillis();
        gathering = null;
        g.waiting.forEach(f -> f.complete(view));
        g.waitingForMore.forEach((f, limit) -> serve(limit, f));
    }

    // ------------------------------------------------------------------ answering (event loop)

    @Override
    public void deliver(NodeKey key, Route message) {
        // nothing is routed to the cluster view: its messages go straight to the node asked
    }

    @Override
    public void direct(NodeHandle from, Direct message) {
        if (stopped) {
            return;
        }
        ClusterMessage m;
        try {
            m = ClusterCodec.decode(message.payload());
        } catch (MessageFormatException e) {
            malformed++;
            refused(from, e.getMessage());
            return;
        }
        if (m instanceof Describe d) {
            answer(from, d);
        } else if (m instanceof Description d) {
            onDescription(from, d, message.payload().length);
        }
    }

    private void answer(NodeHandle to, Describe ask) {
        if (answering >= MAX_ANSWERS) {
            droppedAsks++;
            return;
        }
        answering++;
        describeSelf(ask.swarmLimit(), d -> {
            Description reply = new Description(ask.requestId(), d.joined(), d.leafSetSize(), d.routingEntries(), d.routingRows(),
                    d.swarms(), d.peers(), d.neighbours(), d.largestSwarms().subList(0, Math.min(ask.swarmLimit(), d.largestSwarms().size())));
            node.sendDirect(to, ClusterCodec.APP_TYPE, ClusterCodec.encode(reply))
                    .whenComplete((ok, failure) -> loop.execute(() -> answering--));
        });
    }

    /** Builds (or reuses, within {@value #SELF_CACHE_MILLIS} ms) this node's description with at least {@code limit} swarms. */
    private void describeSelf(int limit, java.util.function.Consumer<Description> then) {
        if (own != null && ownLimit >= limit && loop.nowMillis() - ownAtLoopMillis < SELF_CACHE_MILLIS) {
            then.accept(own);
            return;
        }
        CompletableFuture<List<HeldList>> held;
        try {
            held = limit == 0 ? CompletableFuture.completedFuture(List.of()) : facts.largestSwarms(limit);
        } catch (RuntimeException e) {
            held = CompletableFuture.failedFuture(e);
        }
        held.whenComplete((lists, failure) -> loop.execute(() -> {
            Description d = build(node.snapshot(), failure == null ? lists : List.of(), limit);
            if (failure == null) {
                own = d;
                ownLimit = limit;
                ownAtLoopMillis = loop.nowMillis();
            }
            then.accept(d);
        }));
    }

    /**
     * This node's description from its snapshot, fitted into one payload: the leaf set first, then
     * the largest held lists, then routing-table entries while room is left.
     */
    private Description build(NodeSnapshot s, List<HeldList> held, int limit) {
        Map<NodeKey, NodeSnapshot.LeafEntry> leaves = new LinkedHashMap<>();
        for (NodeSnapshot.LeafEntry l : s.leafSet()) {
            leaves.putIfAbsent(l.key(), l);
        }
        Set<NodeKey> inTable = new HashSet<>();
        int[] masks = new int[NodeKey.DIGITS];
        int rows = 0;
        for (NodeSnapshot.TableEntry t : s.routingTable()) {
            inTable.add(t.key());
            masks[t.row()] |= 1 << t.col();
            rows = Math.max(rows, t.row() + 1);
        }
        List<Integer> rowMasks = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            rowMasks.add(masks[r]);
        }
        int budget = ClusterCodec.MAX_BYTES - ClusterCodec.DESCRIPTION_BASE_BYTES - 2 * rows;
        List<Neighbour> neighbours = new ArrayList<>();
        for (NodeSnapshot.LeafEntry l : leaves.values()) {
            NodeHandle h = new NodeHandle(l.key(), l.address(), l.region());
            int size = ClusterCodec.neighbourBytes(h);
            if (neighbours.size() < ClusterCodec.MAX_NEIGHBOURS && size <= budget) {
                neighbours.add(new Neighbour(h, true, inTable.contains(l.key()), l.rttMs()));
                budget -= size;
            }
        }
        List<HeldList> lists = held.subList(0, Math.min(Math.min(limit, held.size()), ClusterCodec.MAX_SWARMS));
        if (lists.size() * ClusterCodec.HELD_BYTES > budget) {
            lists = lists.subList(0, Math.max(0, budget / ClusterCodec.HELD_BYTES));
        }
        budget -= lists.size() * ClusterCodec.HELD_BYTES;
        Set<NodeKey> listed = new HashSet<>(leaves.keySet());
        for (NodeSnapshot.TableEntry t : s.routingTable()) {
            if (!listed.add(t.key())) {
                continue;
            }
            NodeHandle h = new NodeHandle(t.key(), t.address(), "");
            int size = ClusterCodec.neighbourBytes(h);
            if (neighbours.size() >= ClusterCodec.MAX_NEIGHBOURS || size > budget) {
                break;
            }
            neighbours.add(new Neighbour(h, false, true, t.rttMs()));
            budget -= size;
        }
        return new Description(0, s.joined(), leaves.size(), s.routingTable().size(), rowMasks, facts.swarms(),
                facts.peers(), neighbours, lists);
    }

    private void refused(NodeHandle from, String why) {
        long skipped = malformedLog.admit(loop.nowMillis());
        if (skipped >= 0) {
            LOG.log(System.Logger.Level.WARNING, "refused a malformed cluster-view message from {0} ({1}): {2}{3}",
                    from.address(), from.key().shortString(), why, LogGap.since(skipped));
        }
    }
}
