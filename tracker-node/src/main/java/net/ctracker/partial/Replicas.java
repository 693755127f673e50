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
 * digest (count and order-free hash) to each replica — once the list has been quiet for a tenth of
 * the period (a list that is still changing differs by the deltas in flight), or after four periods
 * for one that never is; a replica that differs sends its list back
 * (MERGE) and the root answers with the merged whole (FULL). Merging is a union (the later expiry
 * wins; downloads counted never go down), which is also how the two halves of a healed partition
 * become one list. Event loop only.
 */
final class Replicas {

    /** A list sent whole that was not acknowledged goes again this many rebalance delays later. */
    static final int RETRY_DELAY_FACTOR = 5;

    /** A changed list is compared once it has been quiet for this fraction of the digest period... */
    static final int DIGEST_QUIET_FRACTION = 10;
    /** ...or, when it never is, after this many periods. */
    static final int DIGEST_MAX_PERIODS = 4;

    private final TrackerContext ctx;
    private final Publisher publisher;
    private final Deferred rebalance;

    Replicas(TrackerContext ctx, Publisher publisher) {
        this.ctx = ctx;
        this.publisher = publisher;
        this.rebalance = new Deferred(ctx.overlay.scheduler(), ctx.config.rebalanceDelayMillis(), this::rebalance);
    }

    /** A node entered or left the leaf set. */
    void leafSetChanged() {
        rebalance.request();
    }

    private void rebalance() {
        if (!ctx.overlay.joined()) {
            return;
        }
        NodeKey me = ctx.selfHandle().key();
        long now = ctx.now();
        Map<NodeHandle, List<DigestEntry>> digests = new HashMap<>();
        for (HeldSwarms.Swarm s : new ArrayList<>(ctx.held.swarmList())) {
            List<NodeHandle> holders = ctx.holders(s.key);
            List<NodeKey> current = TrackerContext.keys(holders);
            if (!s.full) {
                if (current.contains(me)) {
                    pull(s, holders, now); // responsible now, with a partial list only: ask the holders for theirs
                }
                continue;
            }
            List<NodeKey> before = s.holders;
            boolean wasRoot = before.isEmpty() || before.get(0).equals(me);
            if (!current.contains(me)) {
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
                    NodeHandle r = holders.get(i);
                    if (!before.contains(r.key())) {
                        ctx.counters.replicaRepairs.increment();
                        handOff(s, r, Mode.FULL, now);
                    } else if (!wasRoot) {
                        // root only now: the replicas were the old root's; check that they hold what this node holds
                        digests.computeIfAbsent(r, x -> new ArrayList<>()).add(digestOf(s, now));
                    }
                }
            } else if (wasRoot && !before.isEmpty()) {
                handOff(s, root, Mode.HANDOFF, now); // a closer node joined: it is the root now
            } else if (!before.isEmpty() && !current.contains(before.get(0)) && !before.contains(root.key())) {
                handOff(s, root, Mode.HANDOFF, now); // the root is gone and its successor is new: give it the list
            }
            s.holders = current;
        }
        sendDigests(digests);
    }

    /**
     * This node became responsible for a swarm of which it holds a partial list: it sends what it
     * has to the root (or, as the root, to the other holders) as a MERGE, and each answers with its
     * whole merged list (FULL).
     */
    private void pull(HeldSwarms.Swarm s, List<NodeHandle> holders, long now) {
        NodeKey me = ctx.selfHandle().key();
        if (now - s.pulledAtMillis < ctx.config.rebalanceDelayMillis()) {
            return;
        }
        s.pulledAtMillis = now;
        if (holders.get(0).key().equals(me)) {
            for (int i = 1; i < holders.size(); i++) {
                handOff(s, holders.get(i), Mode.MERGE, now);
            }
        } else {
            handOff(s, holders.get(0), Mode.MERGE, now);
        }
    }

    private void handOff(HeldSwarms.Swarm s, NodeHandle to, Mode mode, long now) {
        if (mode == Mode.HANDOFF) {
            ctx.counters.handoffs.increment();
        }
        ctx.outbox.replicateAll(to, mode, s.infoHash, s.downloaded, new ArrayList<>(s.records), now);
    }

    /**
     * A list sent whole was not acknowledged (the link failed, or messages were lost for a while):
     * the next rebalance sends it again, since this node then counts {@code to} as not holding it
     * (and, for a HANDOFF, itself as the root it was). Nothing else would: the holders never push a
     * list to a root they already count as such, and a root sends FULL only to holders it counts as
     * new. Once {@code to} has left the leaf set, the rebalance sends nothing to it.
     */
    void replicateFailed(NodeHandle to, Replicate m) {
        NodeKey me = ctx.selfHandle().key();
        boolean again = false;
        for (SwarmRecords g : m.swarms()) {
            HeldSwarms.Swarm s = ctx.held.get(g.infoHash());
            if (s == null || !s.full || !s.holders.contains(to.key())) {
                continue;
            }
            List<NodeKey> holders = new ArrayList<>(s.holders);
            holders.remove(to.key());
            if (m.mode() == Mode.HANDOFF) {
                holders.remove(me);
                holders.add(0, me);
            }
            s.holders = holders;
            again = true;
        }
        if (again) {
            // later than after a leaf-set change: a node that is gone would otherwise get every list
            // it was due again and again until the failure detector removes it
            rebalance.request(RETRY_DELAY_FACTOR * ctx.config.rebalanceDelayMillis());
        }
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
            HeldSwarms.Swarm known = ctx.held.get(g.infoHash());
            // a delta for a swarm this node holds nothing of starts its full list when this node is one
            // of the swarm's holders as it sees them (a new swarm, or this node became a replica and the
            // root's FULL is on its way; a list lost otherwise comes back by the digest); a partial list,
            // or a delta this node does not think it should get, asks for the whole
            boolean whole = m.mode() != Mode.DELTA || (known == null ? holds(key) : known.full);
            HeldSwarms.Swarm s = ctx.held.getOrCreate(g.infoHash(), whole);
            if (s == null) {
                continue;
            }
            for (Entry e : g.records()) {
                ctx.held.apply(s, e, m.origins().get(e.origin()), now);
            }
            if (!whole) {
                // the root counts this node as a replica but it holds only part of the list: ask for the whole
                pull(s, List.of(from), now);
                continue;
            }
            ctx.held.mergeDownloaded(s, g.downloaded());
            if (m.mode() == Mode.HANDOFF) {
                // handed over as the root while this node knows a closer one (it joined meanwhile):
                // the next rebalance hands the list on, as if this node had been its root
                s.holders = List.of(ctx.selfHandle().key());
                leafSetChanged();
            } else if (s.holders.isEmpty()) {
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

    /** Whether this node is among the root and replicas of {@code key} as it sees them. */
    private boolean holds(NodeKey key) {
        return ctx.holders(key).contains(ctx.selfHandle());
    }

    /** The root's digests of its changed lists, to each replica. */
    void sendDigests() {
        if (!ctx.overlay.joined()) {
            return;
        }
        NodeKey me = ctx.selfHandle().key();
        long now = ctx.now();
        Map<NodeHandle, List<DigestEntry>> out = new HashMap<>();
        for (HeldSwarms.Swarm s : ctx.held.fullSwarms()) {
            if (!s.changed || !ctx.isRoot(s.key)) {
                continue;
            }
            // a list still changing differs from its replicas by the deltas in flight: comparing it
            // would send it whole both ways for nothing; it waits until quiet, or at most a few periods
            long period = ctx.config.digestPeriodMillis();
            if (s.digestWaitingSinceMillis == HeldSwarms.NEVER) {
                s.digestWaitingSinceMillis = now;
            }
            if (now - s.changedAtMillis < period / DIGEST_QUIET_FRACTION
                    && now - s.digestWaitingSinceMillis < DIGEST_MAX_PERIODS * period) {
                continue;
            }
            s.changed = false;
            s.digestWaitingSinceMillis = HeldSwarms.NEVER;
            DigestEntry d = digestOf(s, now);
            List<NodeHandle> holders = ctx.holders(s.key);
            for (int i = 1; i < holders.size(); i++) {
                if (!holders.get(i).key().equals(me)) {
                    out.computeIfAbsent(holders.get(i), h -> new ArrayList<>()).add(d);
                }
            }
        }
        sendDigests(out);
    }

    private DigestEntry digestOf(HeldSwarms.Swarm s, long now) {
        int[] count = new int[1];
        long hash = HeldSwarms.digest(s, now + ctx.config.digestPeriodMillis(), count);
        return new DigestEntry(s.infoHash, count[0], hash);
    }

    private void sendDigests(Map<NodeHandle, List<DigestEntry>> out) {
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
