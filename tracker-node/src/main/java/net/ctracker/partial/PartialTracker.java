package net.ctracker.partial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.Coordinate;
import net.ctracker.locality.LocalityConfig;
import net.ctracker.locality.LocalityObserver;
import net.ctracker.locality.NetworkCoordinates;
import net.ctracker.overlay.Application;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.message.MessageFormatException;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Coordinates;
import net.ctracker.partial.TrackerMessage.Digest;
import net.ctracker.partial.TrackerMessage.GetPeers;
import net.ctracker.partial.TrackerMessage.Inspect;
import net.ctracker.partial.TrackerMessage.InspectReply;
import net.ctracker.partial.TrackerMessage.Peers;
import net.ctracker.partial.TrackerMessage.Publish;
import net.ctracker.partial.TrackerMessage.Replicate;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.SwarmStore;
import net.ctracker.time.Cancellable;
import net.ctracker.time.LogGap;
import net.ctracker.time.Scheduler;

/**
 * One node's partial tracker: the overlay application that makes the cluster one tracker (BRIEF
 * section 2). It wires the protocols that each own a part of the work — {@link Publisher}
 * (publishing and the root's full lists), {@link Lookups} (GET_PEERS), {@link Replicas} (replicas,
 * handoff, digests), {@link Inspector} (the operator's swarm view) — over the node's
 * {@link HeldSwarms}, and the announce threads' side, {@link ClusterPeers}.
 *
 * <p>Every protocol runs on the overlay's event loop (upcalls and timers); only the change queue and
 * {@link ClusterPeers} are touched by announce threads. Threat model: nodes of one cluster are
 * trusted (the overlay authenticates them) but may be broken: a malformed tracker message is counted,
 * logged (at most one line every {@value #LOG_GAP_MILLIS} ms) and dropped; everything held is capped.
 */
public final class PartialTracker implements Application {

    static final long LOG_GAP_MILLIS = 10_000;
    private static final System.Logger LOG = System.getLogger(PartialTracker.class.getName());

    private final TrackerContext ctx;
    private final SwarmStore local;
    private final ClusterPeers cluster;
    private final Publisher publisher;
    private final Lookups lookups;
    private final Replicas replicas;
    private final Inspector inspector;
    private final RandomGenerator random;
    private final Locality locality;
    private final List<Cancellable> timers = new ArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(0, 0, 0, 0, 0, 0);
    private volatile boolean stopped;
    private final LogGap malformedLog = new LogGap(LOG_GAP_MILLIS);

    /** Records held here by role, swarms held and cached, lookups in flight. */
    public record Snapshot(long rootRecords, long replicaRecords, long pathRecords, int heldSwarms, int cachedSwarms,
                           int lookupsInFlight) {
    }

    /**
     * How this node ranks and locates: its network coordinates (fed by every RTT sample of the
     * overlay and by the coordinates messages carry), the operator's ISP map, who counts ranked
     * answers.
     */
    public record Locality(LocalityConfig config, NetworkCoordinates coordinates, Supplier<AltoMaps> maps,
                           LocalityObserver observer) {

        /** No ranking, no coordinates: answers are a random choice. */
        public static Locality off(RandomGenerator random) {
            return new Locality(LocalityConfig.OFF, new NetworkCoordinates(3, 16, random), () -> AltoMaps.NONE,
                    LocalityObserver.NONE);
        }
    }

    /**
     * @param caps the store's caps: held records count towards {@code maxPeers} together with the node's own
     */
    public PartialTracker(OverlayNode node, Scheduler loop, SwarmStore local, PartialConfig config, StoreCaps caps,
                          ClusterPeers cluster, TrackerCounters counters, RandomGenerator random, Locality locality) {
        this(OverlayAccess.of(node, loop), local, config, caps, cluster, counters, random, locality);
        node.register(TrackerCodec.APP_TYPE, this);
        NetworkCoordinates coordinates = locality.coordinates();
        node.setRttListener((peer, rttMillis) -> coordinates.sampled(peer.key(), rttMillis, loop.nowMillis()));
    }

    /** The store caps the held records share. */
    public record StoreCaps(long maxPeers, int maxSwarms, int maxPeersPerSwarm) {
    }

    PartialTracker(OverlayAccess overlay, SwarmStore local, PartialConfig config, StoreCaps caps, ClusterPeers cluster,
                   TrackerCounters counters, RandomGenerator random, Locality locality) {
        this.local = local;
        this.cluster = cluster;
        this.random = random;
        this.locality = locality;
        Supplier<Coordinate> coordinate = locality.coordinates()::current;
        HeldSwarms held = new HeldSwarms(config.pathPeers(), caps.maxPeersPerSwarm(), caps.maxPeers(), caps.maxSwarms(),
                local::peerCount, random);
        Publisher[] p = new Publisher[1];
        Replicas[] r = new Replicas[1];
        Outbox outbox = new Outbox(overlay, counters, config.publishDelayMillis(), config.replicateDelayMillis(),
                config.refreshDelayMillis(), config.lookupDelayMillis(), (to, m) -> p[0].publishFailed(to, m),
                (to, m) -> r[0].replicateFailed(to, m));
        this.ctx = new TrackerContext(overlay, held, outbox, counters, config, coordinate);
        this.publisher = new Publisher(ctx, local);
        p[0] = publisher;
        this.lookups = new Lookups(ctx, cluster, locality.config().ranking());
        this.replicas = new Replicas(ctx, publisher);
        r[0] = replicas;
        this.inspector = new Inspector(ctx, local, publisher::solo);
    }

    /** Starts publishing this node's peers and answering for the cluster; call once, from any thread. */
    public void start() {
        local.setListener(publisher);
        cluster.setStarter(lookups);
        NetworkCoordinates coordinates = locality.coordinates();
        // the announce threads rank from the same origin value as the loop, not a new one per answer
        cluster.rankFrom(ctx::self, locality.maps(), locality.observer());
        ctx.overlay.scheduler().execute(() -> {
            checkSolo();
            PartialConfig c = ctx.config;
            long period = locality.config().coordinatePeriodMillis();
            // while the coordinate is still unsure, swap more often
            every(Math.max(1, period / 5), () -> {
                if (coordinates.current().error() > 0.5) {
                    swapCoordinates();
                }
            });
            // once settled, every sixth period: the overlay's own traffic keeps sampling RTTs, and the
            // coordinates of the nodes sampled arrive with every tracker message too
            int[] tick = new int[1];
            every(period, () -> {
                if (coordinates.current().error() > 0.25 || ++tick[0] % 6 == 0) {
                    swapCoordinates();
                }
            });
            every(c.refreshPeriodMillis(), publisher::refresh);
            every(c.sweepPeriodMillis(), () -> {
                ctx.held.sweep(ctx.now());
                cluster.trim(ctx.now());
            });
            every(c.digestPeriodMillis(), replicas::sendDigests);
            every(1_000, () -> {
                checkSolo(); // joining completes without a leaf-set change
                publishSnapshot();
            });
        });
    }

    /** Stops the timers; held records stay until the process ends. */
    public void stop() {
        stopped = true;
        local.setListener(null);
        ctx.overlay.scheduler().execute(() -> timers.forEach(Cancellable::cancel));
    }

    /** Runs {@code task} every {@code period}, from a random phase so that nodes do not run in step. */
    private void every(long period, Runnable task) {
        Periodic p = new Periodic(period, task);
        timers.add(p);
        p.next = ctx.overlay.scheduler().schedule(1 + random.nextLong(period), p);
    }

    private final class Periodic implements Runnable, Cancellable {
        final long period;
        final Runnable task;
        Cancellable next = Cancellable.NONE;

        Periodic(long period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        @Override
        public void run() {
            if (!stopped) {
                task.run();
                next = ctx.overlay.scheduler().schedule(period, this);
            }
        }

        @Override
        public void cancel() {
            next.cancel();
        }
    }

    /** The held list of a swarm, for simulation checks. Event loop only. */
    HeldSwarms.Swarm heldForTest(InfoHash infoHash) {
        return ctx.held.get(infoHash);
    }

    /**
     * A node that knows no other (alone, or not joined yet) publishes nothing (see
     * {@link Publisher#setSolo}) and, holding nothing from others, looks nothing up: a node alone
     * costs what a standalone tracker costs, with its answers still ranked.
     */
    private void checkSolo() {
        boolean alone = !ctx.overlay.joined() || ctx.overlay.neighbours().isEmpty();
        // lists held from before stay useful until they expire: only a node that holds none skips lookups
        cluster.setAlone(alone && ctx.held.swarmCount() == 0);
        if (publisher.setSolo(alone) && !alone) {
            replicas.leafSetChanged();
        }
    }

    /** Forgets the held list of a swarm, as if every delta for it had been lost; for simulation checks. Event loop only. */
    void dropHeldForTest(InfoHash infoHash) {
        HeldSwarms.Swarm s = ctx.held.get(infoHash);
        if (s != null) {
            ctx.held.removeSwarm(s);
        }
    }

    /** Sends this node's coordinate to one random neighbour, asking for its own. */
    private void swapCoordinates() {
        List<NodeHandle> neighbours = ctx.overlay.joined() ? ctx.overlay.neighbours() : List.of();
        if (!neighbours.isEmpty()) {
            ctx.outbox.send(neighbours.get(random.nextInt(neighbours.size())), new Coordinates(ctx.self(), true));
        }
    }

    /** This node's network coordinates. */
    public NetworkCoordinates coordinates() {
        return locality.coordinates();
    }

    public ClusterPeers cluster() {
        return cluster;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** One full list this node holds: the swarm's counts and whether this node is its root. */
    public record HeldSwarm(InfoHash infoHash, boolean root, int seeders, int leechers, long downloaded) {
    }

    /**
     * The {@code limit} largest full lists this node holds (as root or replica; a node alone: the
     * swarms of its store, as their root), largest first;
     * completes on the event loop. Costs O(full lists held), a node alone O(swarms).
     */
    public CompletableFuture<List<HeldSwarm>> largestSwarms(int limit) {
        CompletableFuture<List<HeldSwarm>> f = new CompletableFuture<>();
        ctx.overlay.scheduler().execute(() -> {
            if (!publisher.solo()) {
                f.complete(largestHeld(limit));
                return;
            }
            Map<InfoHash, HeldSwarm> full = new HashMap<>();
            for (HeldSwarms.Swarm s : ctx.held.all()) {
                if (s.full) {
                    full.put(s.infoHash, new HeldSwarm(s.infoHash, true, s.seeders, s.leechers(), s.downloaded));
                }
            }
            // the store's swarms are counted off the event loop: O(swarms), and the store is safe from any thread
            CompletableFuture.supplyAsync(() -> largestAlone(limit, full)).whenComplete((out, failure) -> {
                if (failure != null) {
                    f.completeExceptionally(failure);
                } else {
                    f.complete(out);
                }
            });
        });
        return f;
    }

    private List<HeldSwarm> largestHeld(int limit) {
        java.util.PriorityQueue<HeldSwarms.Swarm> top = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt(HeldSwarms.Swarm::size));
        for (HeldSwarms.Swarm s : ctx.held.all()) {
            if (s.full && s.size() > 0) {
                top.add(s);
                if (top.size() > limit) {
                    top.poll();
                }
            }
        }
        List<HeldSwarm> out = new ArrayList<>();
        for (HeldSwarms.Swarm s : top) {
            out.add(new HeldSwarm(s.infoHash, ctx.isRoot(s.key), s.seeders, s.leechers(), s.downloaded));
        }
        out.sort(java.util.Comparator.comparingInt((HeldSwarm h) -> -(h.seeders() + h.leechers())));
        return out;
    }

    /**
     * The {@code limit} largest swarms of a node alone, as their root: its store's counts plus the
     * full lists it holds from others ({@code full}, copied on the event loop; none of its own peers
     * are in those while it is alone). O(swarms), any thread.
     */
    private List<HeldSwarm> largestAlone(int limit, Map<InfoHash, HeldSwarm> full) {
        java.util.PriorityQueue<HeldSwarm> top = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt((HeldSwarm h) -> h.seeders() + h.leechers()));
        java.util.function.Consumer<HeldSwarm> offer = h -> {
            if (h.seeders() + h.leechers() > 0) {
                top.add(h);
                if (top.size() > limit) {
                    top.poll();
                }
            }
        };
        local.forEachSwarm((infoHash, counts) -> {
            HeldSwarm held = full.remove(infoHash);
            offer.accept(held == null ? new HeldSwarm(infoHash, true, counts.complete(), counts.incomplete(), counts.downloaded())
                    : new HeldSwarm(infoHash, true, counts.complete() + held.seeders(), counts.incomplete() + held.leechers(),
                            Math.max(counts.downloaded(), held.downloaded())));
        });
        full.values().forEach(offer); // held lists of swarms without a peer here
        List<HeldSwarm> out = new ArrayList<>(top);
        out.sort(java.util.Comparator.comparingInt((HeldSwarm h) -> -(h.seeders() + h.leechers())));
        return out;
    }

    /** The cluster's view of one swarm, gathered within {@code timeoutMillis}; completes on the event loop. */
    public CompletableFuture<SwarmView> inspect(InfoHash infoHash, long timeoutMillis) {
        CompletableFuture<SwarmView> f = new CompletableFuture<>();
        ctx.overlay.scheduler().execute(() -> inspector.inspect(infoHash, timeoutMillis, f::complete));
        return f;
    }

    // ------------------------------------------------------------------ overlay upcalls (event loop)

    @Override
    public void deliver(NodeKey key, Route message) {
        // the partial trackers route their own messages hop by hop (batched): nothing is routed to them
    }

    @Override
    public void update(NodeHandle node, boolean joined) {
        if (!stopped) {
            checkSolo();
            replicas.leafSetChanged();
        }
    }

    /**
     * Leaving politely: the changes still queued and every batch waiting in the outbox go now, before
     * the goodbyes (a root's last deltas reach the replica that takes over from it).
     */
    @Override
    public void leaving() {
        if (!stopped) {
            publisher.drain();
            ctx.outbox.flushAll();
        }
    }

    @Override
    public void direct(NodeHandle from, Direct message) {
        if (stopped) {
            return;
        }
        TrackerMessage m;
        try {
            m = TrackerCodec.decode(message.payload());
        } catch (MessageFormatException e) {
            ctx.counters.malformed.increment();
            refused(from, e.getMessage());
            return;
        }
        ctx.counters.received(m.kind());
        learnCoordinates(m);
        if (m instanceof Coordinates c) {
            if (c.replyWanted()) {
                ctx.outbox.send(c.sender().handle(), new Coordinates(ctx.self(), false));
            }
        } else if (m instanceof Publish p) {
            publisher.onPublish(p);
        } else if (m instanceof Replicate r) {
            replicas.onReplicate(from, r);
        } else if (m instanceof GetPeers g) {
            lookups.onGetPeers(g);
        } else if (m instanceof Peers p) {
            lookups.onPeers(p);
        } else if (m instanceof Digest d) {
            replicas.onDigest(from, d);
        } else if (m instanceof Inspect i) {
            inspector.onInspect(i);
        } else if (m instanceof InspectReply r) {
            inspector.onReply(from, r);
        }
    }

    /** Every message names nodes with their coordinates: the senders of records and lookups, and answerers. */
    private void learnCoordinates(TrackerMessage m) {
        long now = ctx.now();
        NetworkCoordinates book = locality.coordinates();
        List<Origin> origins = m instanceof Publish p ? p.origins() : m instanceof Replicate r ? r.origins()
                : m instanceof Peers p ? p.origins() : m instanceof InspectReply r ? r.origins() : List.of();
        for (Origin o : origins) {
            book.learned(o.key(), o.coordinate(), now);
        }
        Origin sender = m instanceof GetPeers g ? g.requester() : m instanceof Inspect i ? i.requester()
                : m instanceof Coordinates c ? c.sender() : null;
        if (sender != null) {
            book.learned(sender.key(), sender.coordinate(), now);
        }
    }

    private void refused(NodeHandle from, String why) {
        long skipped = malformedLog.admit(ctx.now());
        if (skipped >= 0) {
            LOG.log(System.Logger.Level.WARNING, "refused a malformed tracker message from {0} ({1}): {2}{3}",
                    from.address(), from.key().shortString(), why, LogGap.since(skipped));
        }
    }

    private void publishSnapshot() {
        NodeKey me = ctx.selfHandle().key();
        long root = 0;
        long replica = 0;
        for (HeldSwarms.Swarm s : ctx.held.all()) {
            if (s.full) {
                if (!s.holders.isEmpty() && s.holders.get(0).equals(me)) {
                    root += s.size();
                } else {
                    replica += s.size();
                }
            }
        }
        snapshot = new Snapshot(root, replica, ctx.held.pathRecords(), ctx.held.swarmCount(), cluster.cachedSwarms(),
                cluster.lookupsInFlight());
    }
}
