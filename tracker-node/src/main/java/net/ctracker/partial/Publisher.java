package net.ctracker.partial;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.Publish;
import net.ctracker.partial.TrackerMessage.SwarmRecords;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerChangeListener;
import net.ctracker.swarm.SwarmStore;

/**
 * Publishing: this node's own changes go towards each swarm's root, hop by hop; every hop keeps a
 * partial list and passes the records on; the root keeps the full list and sends each change to its
 * replicas.
 *
 * <p>Costs: the store reports only real changes (a re-announce that changes nothing publishes
 * nothing); changes wait {@code publishDelay} on a bounded queue and are coalesced by peer, then
 * batched per next hop by the {@link Outbox}. Removals are published only for {@code stopped}: an
 * expired or evicted peer's copies expire on their own. Peers that re-announced without a change are
 * republished every {@code refreshPeriod} as refreshes, which wait up to {@code refreshDelay} per hop
 * to share messages; so the copies live one peer TTL plus one refresh period after the announce
 * they came from.
 *
 * <p>The queue is the only part touched by the announce threads (under the store's stripe lock:
 * enqueue only); the rest runs on the overlay's event loop.
 */
final class Publisher implements PeerChangeListener {

    private final TrackerContext ctx;
    private final SwarmStore local;
    private final ConcurrentLinkedQueue<Change> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private long lastRefreshMillis;
    /**
     * No other node is known (a node alone, or one not joined yet): there is nobody to publish to
     * and nothing to replicate, the store is the whole tracker; changes are neither queued nor
     * copied. Set on the event loop, read by the announce threads.
     */
    private volatile boolean solo = true;

    private record Change(InfoHash infoHash, byte[] endpoint, byte[] peerId, boolean seeder, boolean completed,
                          boolean removed) {
    }

    private record PeerRef(InfoHash infoHash, Endpoint endpoint) {
    }

    Publisher(TrackerContext ctx, SwarmStore local) {
        this.ctx = ctx;
        this.local = local;
        this.lastRefreshMillis = ctx.now();
    }

    // ------------------------------------------------------------------ announce threads

    @Override
    public void peerUpdated(InfoHash infoHash, byte[] endpoint, byte[] peerId, boolean seeder, boolean completed) {
        if (solo) {
            return;
        }
        enqueue(new Change(infoHash, endpoint, peerId.clone(), seeder, completed, false));
    }

    @Override
    public void peerRemoved(InfoHash infoHash, byte[] endpoint, Removal why) {
        if (why == Removal.STOPPED && !solo) {
            enqueue(new Change(infoHash, endpoint, new byte[0], false, false, true));
        }
    }

    private void enqueue(Change c) {
        if (queued.incrementAndGet() > ctx.config.maxQueuedChanges()) {
            queued.decrementAndGet();
            ctx.counters.changesDropped.increment(); // the next refresh republishes what re-announces
            return;
        }
        queue.add(c);
        if (drainScheduled.compareAndSet(false, true)) {
            ctx.overlay.scheduler().schedule(ctx.config.publishDelayMillis(), this::drain);
        }
    }

    // ------------------------------------------------------------------ event loop

    /** Publishes what the announce threads queued, one record per peer (the last change wins). */
    void drain() {
        drainScheduled.set(false);
        Map<PeerRef, Change> latest = new LinkedHashMap<>();
        Change c;
        while ((c = queue.poll()) != null) {
            queued.decrementAndGet();
            PeerRef ref = new PeerRef(c.infoHash(), new Endpoint(c.endpoint()));
            Change before = latest.put(ref, c);
            if (before != null && before.completed() && !c.removed() && c.seeder()) {
                latest.put(ref, new Change(c.infoHash(), c.endpoint(), c.peerId(), true, true, false));
            }
        }
        if (solo || !ctx.overlay.joined()) {
            return; // nowhere to publish: leaving solo adopts the store's peers, the refresh picks up the rest
        }
        int ttl = (int) Math.min(TrackerCodec.MAX_TTL_SECONDS, remoteTtlMillis() / 1000);
        for (Change ch : latest.values()) {
            publishOwn(ch.infoHash(), new Entry(ch.endpoint(), ch.peerId(), ch.seeder(), ch.completed(), ch.removed(),
                    ch.removed() ? 0 : ttl, 0));
        }
    }

    /** Republishes peers that re-announced since the last refresh (their copies elsewhere would expire). */
    void refresh() {
        long now = ctx.now();
        long since = lastRefreshMillis;
        lastRefreshMillis = now;
        if (solo || !ctx.overlay.joined()) {
            return;
        }
        long ttlMillis = remoteTtlMillis();
        local.forEachAnnouncedSince(since, (infoHash, endpoint, peerId, seeder, lastAnnounce) -> {
            int ttl = TrackerContext.ttlSeconds(lastAnnounce + ttlMillis, now, 1);
            publishOwn(infoHash, new Entry(endpoint, peerId, seeder, false, false, ttl, 0, true));
        });
    }

    boolean solo() {
        return solo;
    }

    /**
     * Whether other nodes are known; returns whether that changed. Entering solo, this node drops
     * the copies it holds of its own peers (nothing keeps them current from now on: its store is the
     * truth). Leaving solo, it hands its own peers on: a swarm it holds no list of becomes a full list
     * held as its root, with the downloads its store counted, as if it had published to itself all
     * along, and the rebalance that follows a leaf-set change hands it to its root and replicas by
     * the usual HANDOFF and FULL; a peer of a swarm it holds a list of is published like any change.
     * O(own peers + held records), once per change of state.
     */
    boolean setSolo(boolean alone) {
        if (alone == solo) {
            return false;
        }
        solo = alone; // first: a change the adoption below does not see is queued from now on
        if (alone) {
            ctx.held.removeFrom(ctx.selfHandle().key(), ctx.now());
        } else {
            adoptOwnPeers();
        }
        return true;
    }

    private void adoptOwnPeers() {
        long now = ctx.now();
        long ttlMillis = remoteTtlMillis();
        Origin self = ctx.self();
        List<NodeKey> asRoot = List.of(ctx.selfHandle().key());
        Set<InfoHash> adopted = new HashSet<>();
        local.forEachAnnouncedSince(0, (infoHash, endpoint, peerId, seeder, lastAnnounce) -> {
            int ttl = TrackerContext.ttlSeconds(lastAnnounce + ttlMillis, now, 1);
            Entry e = new Entry(endpoint, peerId, seeder, false, false, ttl, 0);
            HeldSwarms.Swarm s = ctx.held.get(infoHash);
            if (s != null && !adopted.contains(infoHash)) {
                publishOwn(infoHash, e); // a list from before: it is somebody's, the peer goes to the root
                return;
            }
            if (s == null) {
                s = ctx.held.getOrCreate(infoHash, true);
                if (s == null) {
                    return;
                }
                s.holders = asRoot;
                adopted.add(infoHash);
            }
            ctx.held.apply(s, e, self, now);
        });
        local.forEachSwarm((infoHash, counts) -> {
            HeldSwarms.Swarm s = adopted.contains(infoHash) ? ctx.held.get(infoHash) : null;
            if (s != null) {
                ctx.held.mergeDownloaded(s, counts.downloaded());
            }
        });
    }

    /**
     * How long other nodes keep a copy after the announce it came from: the peer TTL, plus one refresh
     * period because a re-announce reaches them only with the next refresh.
     */
    private long remoteTtlMillis() {
        return local.peerTtlMillis() + ctx.config.refreshPeriodMillis();
    }

    private void publishOwn(InfoHash infoHash, Entry entry) {
        ctx.counters.recordsPublished.increment();
        NodeKey key = NodeKey.of(infoHash.toBytes());
        NodeHandle next = ctx.overlay.nextHop(key);
        if (next.equals(ctx.selfHandle())) {
            applyAsRoot(infoHash, key, entry, ctx.self());
        } else {
            ctx.outbox.publish(next, infoHash, 1, entry, ctx.self());
        }
    }

    private static Entry asRefresh(Entry e, boolean refresh) {
        return e.refresh() == refresh ? e : new Entry(e.endpoint(), e.peerId(), e.seeder(), e.completed(), e.removed(),
                e.ttlSeconds(), e.origin(), refresh);
    }

    /** Records from another node: keep a partial list (or the full one, if responsible) and pass them on, or hold them as the root. */
    void onPublish(Publish m) {
        long now = ctx.now();
        for (SwarmRecords g : m.swarms()) {
            NodeKey key = NodeKey.of(g.infoHash().toBytes());
            NodeHandle next = ctx.overlay.nextHop(key);
            if (next.equals(ctx.selfHandle())) {
                for (Entry e : g.records()) {
                    applyAsRoot(g.infoHash(), key, e, m.origins().get(e.origin()));
                }
                continue;
            }
            HeldSwarms.Swarm s = ctx.held.getOrCreate(g.infoHash(), false);
            if (g.hops() + 1 > ctx.config.maxHops()) {
                ctx.counters.droppedHopLimit.increment();
                continue;
            }
            for (Entry e : g.records()) {
                Origin origin = m.origins().get(e.origin());
                if (s != null) {
                    ctx.held.apply(s, e, origin, now);
                }
                ctx.outbox.publish(next, g.infoHash(), g.hops() + 1, e, origin);
            }
        }
    }

    /** A publish that was not acknowledged: its records take the next route (the failed hop is avoided by now). */
    void publishFailed(NodeHandle to, Publish m) {
        for (SwarmRecords g : m.swarms()) {
            if (g.hops() + 1 > ctx.config.maxHops()) {
                ctx.counters.droppedHopLimit.increment();
                continue;
            }
            NodeKey key = NodeKey.of(g.infoHash().toBytes());
            NodeHandle next = ctx.overlay.nextHop(key);
            for (Entry e : g.records()) {
                Origin origin = m.origins().get(e.origin());
                if (next.equals(ctx.selfHandle())) {
                    applyAsRoot(g.infoHash(), key, e, origin);
                } else if (!next.equals(to)) {
                    ctx.outbox.publish(next, g.infoHash(), g.hops() + 1, e, origin);
                }
            }
        }
    }

    /** The root applies a record to its full list and sends the change to its replicas. */
    void applyAsRoot(InfoHash infoHash, NodeKey key, Entry e, Origin origin) {
        HeldSwarms.Swarm s = ctx.held.getOrCreate(infoHash, true);
        if (s == null) {
            return;
        }
        List<NodeHandle> holders = ctx.holders(key);
        if (s.holders.isEmpty()) {
            s.holders = TrackerContext.keys(holders);
        }
        HeldSwarms.Change change = ctx.held.apply(s, e, origin, ctx.now());
        if (change == HeldSwarms.Change.NONE || change == HeldSwarms.Change.REFUSED) {
            return;
        }
        // a record the root only re-dated goes to the replicas in the slow batch; anything else at once
        Entry out = asRefresh(e, change == HeldSwarms.Change.REFRESHED);
        for (int i = 1; i < holders.size(); i++) {
            if (!Objects.equals(holders.get(i), ctx.selfHandle())) {
                ctx.outbox.delta(holders.get(i), infoHash, s.downloaded, out, origin);
            }
        }
    }
}
