package net.ctracker.partial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Digest;
import net.ctracker.partial.TrackerMessage.DigestEntry;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.Mode;
import net.ctracker.partial.TrackerMessage.Replicate;
import net.ctracker.partial.TrackerMessage.SwarmRecords;

/**
 * Who holds the full lists, and keeping them so through churn. A swarm's root and the
 * {@code replicas} nodes nearest its key after it hold the full list; the root sends every change
 * to the others (see {@link Publisher}).
 *
 * <p>After the leaf set changes (a join, a failure, a departure), every full list is checked
 * ({@code rebalanceDelay} later, once for a burst of changes): a node that is no longer the root
 * hands its list to the new root (HANDOFF); a root sends its whole list to each holder that was not
 * one before (FULL: a replica restored); a node no longer among the holders keeps only a partial
 * list. When the root left together with its successor being new, the surviving holders push their
 * lists to the new root. Every {@code digestPeriod} the root sends, for its lists that changed, a
 * digest (count and order-free hash) to each replica; a replica that differs sends its list back
 * (MERGE) and the root answers with the merged whole (FULL). Merging is a union (the later expiry
 * wins; downloads counted never go down), which is also how the two halves of a healed partition
 * become one list. Event loop only.
 */
final class Replicas {

    private final TrackerContext ctx;
    private final Publisher publisher;
    private boolean rebalanceScheduled;

    Replicas(TrackerContext ctx, Publisher publisher) {
        this.ctx = ctx;
        this.publisher = publisher;
    }

    /** A node entered or left the leaf set. */
    void leafSetChanged() {
        if (!rebalanceScheduled) {
            rebalanceScheduled = true;
            ctx.overlay.scheduler().schedule(ctx.config.rebalanceDelayMillis(), this::rebalance);
        }
    }

    void rebalance() {
        rebalanceScheduled = false;
        if (!ctx.overlay.joined()) {
            return;
        }
        NodeKey me = ctx.selfHandle().key();
        long now = ctx.now();
        for (HeldSwarms.Swarm s : ctx.held.fullSwarms()) {
            List<NodeHandle> holders = ctx.holders(s.key);
            List<NodeKey> now_ = TrackerContext.keys(holders);
            List<NodeKey> before = s.holders;
            boolean wasRoot = before.isEmpty() || before.get(0).equals(me);
            if (!now_.contains(me)) {
                // no longer responsible: the list goes to whoever is root now, this node keeps a partial one
                if (wasRoot) {
                    NodeHandle to = holders.isEmpty() ? ctx.overlay.nextHop(s.key) : holders.get(0);
                    if (!to.equals(ctx.selfHandle())) {
                        handOff(s, to, Mode.HANDOFF, now);
                    }
                }
                ctx.held.makePartial(s);
                continue;
            }
            NodeHandle root = holders.get(0);
            if (root.key().equals(me)) {
                for (int i = 1; i < holders.size(); i++) {
                    if (!before.contains(holders.get(i).key())) {
                        ctx.counters.replicaRepairs.increment();
                        handOff(s, holders.get(i), Mode.FULL, now);
                    }
                }
            } else if (wasRoot && !before.isEmpty()) {
                handOff(s, root, Mode.HANDOFF, now); // a closer node joined: it is the root now
            } else if (!before.isEmpty() && !now_.contains(before.get(0)) && !before.contains(root.key())) {
                handOff(s, root, Mode.HANDOFF, now); // the root is gone and its successor is new: give it the list
            }
            s.holders = now_;
        }
    }

    private void handOff(HeldSwarms.Swarm s, NodeHandle to, Mode mode, long now) {
        if (mode == Mode.HANDOFF) {
            ctx.counters.handoffs.increment();
        }
        ctx.outbox.replicateAll(to, mode, s.infoHash, s.downloaded, new ArrayList<>(s.records), now);
    }

    /** Full-list records from another holder. */
    void onReplicate(NodeHandle from, Replicate m) {
        long now = ctx.now();
        Map<HeldSwarms.Swarm, Boolean> touched = new LinkedHashMap<>();
        for (SwarmRecords g : m.swarms()) {
            NodeKey key = NodeKey.of(g.infoHash().toBytes());
            boolean root = ctx.isRoot(key);
            if (root && m.mode() != Mode.DELTA) {
                // a list handed over or merged back: its records are news to this root's replicas
                for (Entry e : g.records()) {
                    publisher.applyAsRoot(g.infoHash(), key, e, m.origins().get(e.origin()));
                }
                HeldSwarms.Swarm s = ctx.held.get(g.infoHash());
                if (s != null) {
                    ctx.held.mergeDownloaded(s, g.downloaded());
                    touched.put(s, true);
                }
                continue;
            }
            HeldSwarms.Swarm s = ctx.held.getOrCreate(g.infoHash(), true);
            if (s == null) {
                continue;
            }
            for (Entry e : g.records()) {
                ctx.held.apply(s, e, m.origins().get(e.origin()), now);
            }
            ctx.held.mergeDownloaded(s, g.downloaded());
            if (s.holders.isEmpty()) {
                s.holders = TrackerContext.keys(ctx.holders(key));
            }
            touched.put(s, true);
        }
        if (m.mode() == Mode.MERGE) {
            for (HeldSwarms.Swarm s : touched.keySet()) {
                ctx.counters.replicaRepairs.increment();
                handOff(s, from, Mode.FULL, now);
            }
        }
    }

    /** The root's digests of its changed lists, to each replica. */
    void sendDigests() {
        if (!ctx.overlay.joined()) {
            return;
        }
        NodeKey me = ctx.selfHandle().key();
        long until = ctx.now() + ctx.config.digestPeriodMillis();
        Map<NodeHandle, List<DigestEntry>> out = new HashMap<>();
        int[] count = new int[1];
        for (HeldSwarms.Swarm s : ctx.held.fullSwarms()) {
            if (!s.changed || !ctx.isRoot(s.key)) {
                continue;
            }
            s.changed = false;
            long hash = HeldSwarms.digest(s, until, count);
            List<NodeHandle> holders = ctx.holders(s.key);
            for (int i = 1; i < holders.size(); i++) {
                if (!holders.get(i).key().equals(me)) {
                    out.computeIfAbsent(holders.get(i), h -> new ArrayList<>()).add(new DigestEntry(s.infoHash, count[0], hash));
                }
            }
        }
        out.forEach((to, entries) -> {
            for (int i = 0; i < entries.size(); i += TrackerCodec.MAX_ITEMS / 4) {
                ctx.outbox.send(to, new Digest(entries.subList(i, Math.min(entries.size(), i + TrackerCodec.MAX_ITEMS / 4))));
            }
        });
    }

    /** A replica compares the root's digests with its own lists and sends back those that differ. */
    void onDigest(NodeHandle from, Digest m) {
        long now = ctx.now();
        long until = now + ctx.config.digestPeriodMillis();
        int[] count = new int[1];
        for (DigestEntry d : m.entries()) {
            HeldSwarms.Swarm s = ctx.held.get(d.infoHash());
            if (s != null && s.full && HeldSwarms.digest(s, until, count) == d.hash() && count[0] == d.count()) {
                continue;
            }
            if (s == null) {
                ctx.outbox.send(from, new Replicate(Mode.MERGE, List.of(),
                        List.of(new SwarmRecords(d.infoHash(), 0, 0, List.of()))));
            } else {
                ctx.held.makeFull(s);
                handOff(s, from, Mode.MERGE, now);
            }
        }
    }
}
