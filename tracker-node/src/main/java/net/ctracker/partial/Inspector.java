package net.ctracker.partial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Inspect;
import net.ctracker.partial.TrackerMessage.InspectReply;
import net.ctracker.partial.TrackerMessage.OriginCount;
import net.ctracker.partial.TrackerMessage.Role;
import net.ctracker.partial.SwarmView.Holder;
import net.ctracker.partial.SwarmView.LocalCount;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.swarm.SwarmStore;

/**
 * The operator's view of one swarm across the cluster: an INSPECT travels this node's route to the
 * swarm's root; every node on it that holds the swarm, and the root always, replies directly; the
 * root's reply names its replicas, which are then asked directly. The view is complete when the
 * root and every replica replied, or the timeout passed. Event loop only; at most
 * {@value #MAX_PENDING} inspections at once.
 */
final class Inspector {

    static final int MAX_PENDING = 64;

    private final TrackerContext ctx;
    private final SwarmStore local;
    private final BooleanSupplier solo;
    private final Map<Long, Collector> pending = new HashMap<>();
    private long nextId = 1;

    private final class Collector {
        final InfoHash infoHash;
        final Consumer<SwarmView> done;
        final Map<NodeKey, Holder> holders = new LinkedHashMap<>();
        final Set<NodeKey> awaiting = new HashSet<>();
        final List<LocalCount> announcedAt = new ArrayList<>();
        Holder root;
        boolean finished;

        Collector(InfoHash infoHash, Consumer<SwarmView> done) {
            this.infoHash = infoHash;
            this.done = done;
        }

        void finish() {
            if (!finished) {
                finished = true;
                done.accept(new SwarmView(infoHash, root, new ArrayList<>(holders.values()), announcedAt));
            }
        }
    }

    /** @param solo whether this node publishes nothing (it knows no other): its own peers are then in its store only */
    Inspector(TrackerContext ctx, SwarmStore local, BooleanSupplier solo) {
        this.ctx = ctx;
        this.local = local;
        this.solo = solo;
    }

    void inspect(InfoHash infoHash, long timeoutMillis, Consumer<SwarmView> done) {
        if (pending.size() >= MAX_PENDING || !ctx.overlay.joined()) {
            done.accept(new SwarmView(infoHash, null, List.of(), List.of()));
            return;
        }
        long id = nextId++;
        Collector c = new Collector(infoHash, done);
        pending.put(id, c);
        ctx.overlay.scheduler().schedule(timeoutMillis, () -> {
            Collector left = pending.remove(id);
            if (left != null) {
                left.finish();
            }
        });
        NodeKey key = NodeKey.of(infoHash.toBytes());
        onReply(ctx.selfHandle(), describe(id, infoHash, key));
        if (!ctx.isRoot(key) && !c.finished) {
            ctx.outbox.send(ctx.overlay.nextHop(key), new Inspect(id, ctx.self(), infoHash, 1, true));
        }
    }

    void onInspect(Inspect m) {
        NodeKey key = NodeKey.of(m.infoHash().toBytes());
        InspectReply reply = describe(m.requestId(), m.infoHash(), key);
        boolean root = reply.role() == Role.ROOT;
        if (reply.role() != Role.NONE) {
            ctx.outbox.send(m.requester().handle(), reply);
        }
        if (m.routed() && !root && m.hops() + 1 <= ctx.config.maxHops()) {
            ctx.outbox.send(ctx.overlay.nextHop(key), new Inspect(m.requestId(), m.requester(), m.infoHash(), m.hops() + 1, true));
        }
    }

    void onReply(NodeHandle from, InspectReply m) {
        Collector c = pending.get(m.requestId());
        if (c == null || !c.infoHash.equals(m.infoHash())) {
            return;
        }
        Holder h = new Holder(from, m.role(), m.seeders(), m.leechers(), m.downloaded());
        c.awaiting.remove(from.key());
        if (m.role() != Role.NONE) {
            c.holders.put(from.key(), h);
        }
        if (m.role() == Role.ROOT) {
            c.root = h;
            for (OriginCount oc : m.byOrigin()) {
                c.announcedAt.add(new LocalCount(m.origins().get(oc.origin()).handle(), oc.seeders(), oc.leechers()));
            }
            for (int r : m.replicas()) {
                NodeHandle replica = m.origins().get(r).handle();
                if (replica.equals(ctx.selfHandle())) {
                    continue; // described already
                }
                if (!c.holders.containsKey(replica.key())) {
                    c.awaiting.add(replica.key());
                    ctx.outbox.send(replica, new Inspect(m.requestId(), ctx.self(), m.infoHash(), 0, false));
                }
            }
        }
        if (c.root != null && c.awaiting.isEmpty()) {
            pending.remove(m.requestId());
            c.finish();
        }
    }

    /** This node's account of a swarm; the root's names its replicas and counts the peers by the node they announced at. */
    private InspectReply describe(long id, InfoHash infoHash, NodeKey key) {
        HeldSwarms.Swarm s = ctx.held.get(infoHash);
        boolean root = ctx.isRoot(key);
        Role role = root ? Role.ROOT : s == null ? Role.NONE : s.full ? Role.REPLICA : Role.PATH;
        List<Origin> origins = new ArrayList<>();
        List<Integer> replicas = new ArrayList<>();
        List<OriginCount> byOrigin = new ArrayList<>();
        if (root) {
            List<NodeHandle> holders = ctx.holders(key);
            for (int i = 1; i < holders.size(); i++) {
                replicas.add(origins.size());
                origins.add(Origin.of(holders.get(i), net.ctracker.locality.Coordinate.NONE));
            }
            if (s != null) {
                Map<NodeKey, Origin> of = new HashMap<>();
                for (HeldSwarms.Record r : s.records) {
                    of.putIfAbsent(r.origin.key(), r.origin);
                }
                for (Map.Entry<NodeKey, int[]> e : s.byOrigin.entrySet()) {
                    if (origins.size() >= TrackerCodec.MAX_ORIGINS) {
                        break;
                    }
                    byOrigin.add(new OriginCount(origins.size(), e.getValue()[0], e.getValue()[1]));
                    origins.add(of.get(e.getKey()));
                }
            }
        }
        int seeders = s == null ? 0 : s.seeders;
        int leechers = s == null ? 0 : s.leechers();
        long downloaded = s == null ? 0 : s.downloaded;
        if (root && solo.getAsBoolean()) {
            // a node alone keeps no copy of its own peers: the root's full list is its store
            SwarmCounts mine = local.scrape(infoHash);
            if (mine.complete() + mine.incomplete() > 0 && origins.size() < TrackerCodec.MAX_ORIGINS) {
                byOrigin.add(new OriginCount(origins.size(), mine.complete(), mine.incomplete()));
                origins.add(ctx.self());
            }
            seeders += mine.complete();
            leechers += mine.incomplete();
            downloaded = Math.max(downloaded, mine.downloaded());
        }
        return new InspectReply(id, infoHash, role, seeders, leechers, downloaded, origins, replicas, byOrigin);
    }
}
