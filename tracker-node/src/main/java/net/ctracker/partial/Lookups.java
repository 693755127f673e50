package net.ctracker.partial;

import java.util.ArrayList;
import java.util.List;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Answer;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.GetPeers;
import net.ctracker.partial.TrackerMessage.Peers;
import net.ctracker.partial.TrackerMessage.Query;
import net.ctracker.swarm.InfoHash;

/**
 * GET_PEERS on the event loop. A lookup starts at this node: if it holds enough (a full list, or a
 * partial list with at least numwant peers announced elsewhere) it answers itself; otherwise the
 * query goes towards the root, batched per next hop. Every node on the way does the same: the first
 * that holds enough answers the requester directly; the root always can (an empty answer with its
 * counts for a swarm it does not know). A node on the route that answers with peers but without a
 * full list sends a counts-only query on, so the swarm's counts still come from a full list.
 * Answers carry up to {@code max(numwant, cachePeers)} peers, none announced at the requester, a
 * seeder's leechers first and a leecher's seeders first.
 */
final class Lookups implements ClusterPeers.LookupStarter {

    private final TrackerContext ctx;
    private final ClusterPeers cluster;
    private final boolean ranking;

    Lookups(TrackerContext ctx, ClusterPeers cluster, boolean ranking) {
        this.ctx = ctx;
        this.cluster = cluster;
        this.ranking = ranking;
    }

    /** Starts a lookup for this node's announces (called on the loop by {@link ClusterPeers}). */
    @Override
    public void start(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder, Object token) {
        if (!ctx.overlay.joined()) {
            cluster.failed(infoHash, token);
            return;
        }
        ctx.overlay.scheduler().schedule(ctx.config.lookupTimeoutMillis(), () -> cluster.failed(infoHash, token));
        NodeKey key = NodeKey.of(infoHash.toBytes());
        Origin self = ctx.self();
        Query q = new Query(infoHash, numwant, needCounts, requesterSeeder, 0);
        if (!answerHere(q, key, self, true, false)) {
            forward(q, key, self);
        }
    }

    /**
     * Renews a cached sample still in use (called on the loop by {@link ClusterPeers}): answered here
     * if this node holds enough, else queued as a renewal for the next hop (see
     * {@link Outbox#renewal}). Nobody waits on it and no timer runs: its answer, if any, replaces
     * the sample when it comes.
     */
    @Override
    public void renew(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder) {
        if (!ctx.overlay.joined()) {
            return;
        }
        NodeKey key = NodeKey.of(infoHash.toBytes());
        Origin self = ctx.self();
        Query q = new Query(infoHash, numwant, needCounts, requesterSeeder, 0);
        if (!answerHere(q, key, self, true, true)) {
            renewOnward(q, key, self);
        }
    }

    /** A renewal that this node cannot complete, queued for its next hop (never a lookup's lane). */
    private void renewOnward(Query q, NodeKey key, Origin self) {
        NodeHandle next = ctx.overlay.nextHop(key);
        if (!next.equals(ctx.selfHandle()) && q.hops() + 1 <= ctx.config.maxHops()) {
            ctx.outbox.renewal(next, self, new Query(q.infoHash(), q.numwant(), q.needCounts(), q.requesterSeeder(), q.hops() + 1));
        }
    }

    void onGetPeers(GetPeers m) {
        for (Query q : m.queries()) {
            NodeKey key = NodeKey.of(q.infoHash().toBytes());
            if (!answerHere(q, key, m.requester(), false, false)) {
                forward(q, key, m.requester());
            }
        }
    }

    void onPeers(Peers m) {
        for (Answer a : m.answers()) {
            cluster.answered(a.infoHash(), a, m.origins(), false);
        }
    }

    /**
     * Answers {@code q} from what this node holds, if it holds enough; a counts-only query that a
     * partial list cannot answer goes on (as a renewal if {@code renewal}: one of this node's).
     * Returns whether the query needs to go no further.
     */
    private boolean answerHere(Query q, NodeKey key, Origin requester, boolean own, boolean renewal) {
        long now = ctx.now();
        HeldSwarms.Swarm s = ctx.held.get(q.infoHash());
        boolean full = (s != null && s.full) || ctx.isRoot(key);
        if (!full) {
            if (q.numwant() == 0 || s == null
                    || ctx.held.countNotFrom(s, requester.key(), now, q.numwant()) < q.numwant()) {
                return false;
            }
        }
        int[] uniformFrom = new int[1];
        List<HeldSwarms.Record> sample = q.numwant() == 0 || s == null ? List.of()
                : sampleFor(s, q.numwant(), requester, q.requesterSeeder() ? Boolean.FALSE : Boolean.TRUE, now, uniformFrom);
        // counts of the peers announced elsewhere: the requester adds its own, which may be newer
        int[] theirs = s == null ? new int[2] : s.countsFrom(requester.key());
        int seeders = s == null ? 0 : s.seeders - theirs[0];
        int leechers = s == null ? 0 : s.leechers() - theirs[1];
        long downloaded = s == null ? 0 : s.downloaded;
        boolean peers = q.numwant() > 0;
        if (own) {
            List<Origin> origins = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            for (HeldSwarms.Record r : sample) {
                Entry e = TrackerContext.entryOf(r, now);
                entries.add(new Entry(e.endpoint(), e.peerId(), e.seeder(), false, false, e.ttlSeconds(), origins.size()));
                origins.add(r.origin);
            }
            cluster.answered(q.infoHash(), new Answer(q.infoHash(), peers, full, seeders, leechers, downloaded, entries,
                    uniformFrom[0]), origins, true);
        } else {
            ctx.outbox.answer(requester.handle(), q.infoHash(), peers, full, seeders, leechers, downloaded, sample,
                    uniformFrom[0], now);
        }
        if (!full && q.needCounts()) {
            Query counts = new Query(q.infoHash(), 0, true, q.requesterSeeder(), q.hops());
            if (renewal) {
                renewOnward(counts, key, requester);
            } else {
                forward(counts, key, requester);
            }
        }
        return true;
    }

    /**
     * The records to answer with: a random draw, or, when ranking and the list holds more than asked,
     * the best of three times as many for the requester (its region first, then the lowest RTT
     * predicted between its node and the record's), with the random share drawn at random: the
     * requester's cache then holds its neighbourhood of the swarm and a random sample of the rest.
     * O(want), never a sort of the list.
     */
    private List<HeldSwarms.Record> sampleFor(HeldSwarms.Swarm s, int want, Origin requester, Boolean prefer, long now,
                                              int[] uniformFrom) {
        uniformFrom[0] = 0;
        if (!ranking || s.size() <= want) {
            return ctx.held.sample(s, want, requester.key(), prefer, now);
        }
        List<HeldSwarms.Record> drawn = ctx.held.sample(s, Math.min(s.size(), 3 * want), requester.key(), prefer, now);
        if (drawn.size() <= want) {
            return drawn;
        }
        int random = (int) Math.ceil(ctx.config.randomShare() * want);
        int best = want - random;
        // the draw is in random order: its tail is the random share, the rest is ranked
        List<HeldSwarms.Record> ranked = new ArrayList<>(drawn.subList(0, drawn.size() - random));
        long[] keys = new long[ranked.size()];
        for (int i = 0; i < keys.length; i++) {
            Origin o = ranked.get(i).origin;
            long tier = o.region().equals(requester.region()) ? 0 : 1;
            double ms = requester.coordinate().rttMillisTo(o.coordinate());
            long rtt = Double.isNaN(ms) ? (1L << 40) - 1 : Math.min((1L << 40) - 1, (long) (ms * 1000));
            keys[i] = tier << 62 | rtt << 20 | i;
        }
        java.util.Arrays.sort(keys);
        List<HeldSwarms.Record> out = new ArrayList<>(want);
        for (int i = 0; i < Math.min(best, keys.length); i++) {
            out.add(ranked.get((int) (keys[i] & 0xFFFFF)));
        }
        uniformFrom[0] = out.size();
        out.addAll(drawn.subList(drawn.size() - random, drawn.size()));
        return out;
    }

    private void forward(Query q, NodeKey key, Origin requester) {
        if (q.hops() + 1 > ctx.config.maxHops()) {
            ctx.counters.droppedHopLimit.increment();
            return;
        }
        NodeHandle next = ctx.overlay.nextHop(key);
        if (next.equals(ctx.selfHandle())) {
            return; // answered above as the root
        }
        if (requester.key().equals(ctx.selfHandle().key())) {
            ctx.counters.lookupsSent.increment();
        }
        ctx.outbox.query(next, requester, new Query(q.infoHash(), q.numwant(), q.needCounts(), q.requesterSeeder(), q.hops() + 1));
    }
}
