package net.ctracker.partial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.partial.TrackerMessage.Answer;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.GetPeers;
import net.ctracker.partial.TrackerMessage.Mode;
import net.ctracker.partial.TrackerMessage.Peers;
import net.ctracker.partial.TrackerMessage.Publish;
import net.ctracker.partial.TrackerMessage.Query;
import net.ctracker.partial.TrackerMessage.Replicate;
import net.ctracker.swarm.InfoHash;

/**
 * Outgoing tracker messages, batched per destination: publishes to a next hop wait up to the
 * publish delay, deltas to a replica up to the replicate delay, lookups and answers up to the
 * lookup delay, so that what goes the same way in that time shares one overlay message. A batch that reaches the payload limit
 * is sent at once. Event loop only.
 */
final class Outbox {

    private final OverlayAccess overlay;
    private final TrackerCounters counters;
    private final BiConsumer<NodeHandle, Publish> publishFailed;
    private final BiConsumer<NodeHandle, Replicate> replicateFailed;
    private final Map<NodeHandle, EntryBatch> publishes = new LinkedHashMap<>();
    private final Map<NodeHandle, EntryBatch> deltas = new LinkedHashMap<>();
    /** Refreshes (nothing changed but the expiry) wait longer, and ride along with the next batch to the same node. */
    private final Map<NodeHandle, EntryBatch> slowPublishes = new LinkedHashMap<>();
    private final Map<NodeHandle, EntryBatch> slowDeltas = new LinkedHashMap<>();
    private final Map<NodeHandle, Map<Origin, List<Query>>> queries = new LinkedHashMap<>();
    private final Map<NodeHandle, AnswerBatch> answers = new LinkedHashMap<>();
    /** Renewals of this node's samples, per next hop: they wait up to the refresh delay (see {@link #renewal}). */
    private final Map<NodeHandle, Renewals> renewals = new LinkedHashMap<>();
    private final Deferred publishFlush;
    private final Deferred deltaFlush;
    private final Deferred slowFlush;
    private final Deferred lookupFlush;
    private final Deferred renewalFlush;
    private final long renewalDelayMillis;

    /** This node's renewals waiting for one next hop, at most one per swarm. */
    private static final class Renewals {
        Origin requester;
        final Map<InfoHash, Query> queries = new LinkedHashMap<>();
        /** When the first of them was queued. */
        final long sinceMillis;

        Renewals(long sinceMillis) {
            this.sinceMillis = sinceMillis;
        }
    }

    /**
     * Renewals to one next hop go alone only this many or more at once, so that their answers share
     * messages (one or a few per node that answers); fewer are dropped unless a lookup to the same
     * node takes them along. Measured in the simulator (docs/distributed.md): with 3, the 200-node
     * cluster, whose next hops see a renewal or two per refresh delay and pass them on to as many
     * roots, sent 9% more messages per announce than without renewals; with 8 none more, and the
     * busier clusters slightly fewer than with 3; with 16 those more again.
     */
    static final int MIN_RENEWALS = 8;
    /** Renewals to one next hop that go at once without waiting longer (with up to 1,000 lookups they fit one message). */
    private static final int MAX_RENEWALS = 500;

    /** Answers for one requester, with one origins table. */
    private static final class AnswerBatch {
        final Map<net.ctracker.overlay.routing.NodeKey, Integer> originIndex = new java.util.HashMap<>();
        final List<Origin> origins = new ArrayList<>();
        final List<Answer> answers = new ArrayList<>();
        int bytes = 8;

        int index(Origin o) {
            Integer i = originIndex.get(o.key());
            if (i == null) {
                i = origins.size();
                originIndex.put(o.key(), i);
                origins.add(o);
                bytes += EntryBatch.originBytes(o);
            }
            return i;
        }
    }

    /**
     * @param publishFailed told of a publish that was not acknowledged, so its records can take another route
     * @param replicateFailed told of a list sent whole (HANDOFF, FULL) that was not acknowledged, so it is sent again
     */
    Outbox(OverlayAccess overlay, TrackerCounters counters, long publishDelayMillis, long replicateDelayMillis,
           long refreshDelayMillis, long lookupDelayMillis, BiConsumer<NodeHandle, Publish> publishFailed,
           BiConsumer<NodeHandle, Replicate> replicateFailed) {
        this.overlay = overlay;
        this.counters = counters;
        this.publishFlush = new Deferred(overlay.scheduler(), publishDelayMillis, () -> drain(publishes, true, slowPublishes));
        this.deltaFlush = new Deferred(overlay.scheduler(), replicateDelayMillis, () -> drain(deltas, false, slowDeltas));
        this.slowFlush = new Deferred(overlay.scheduler(), refreshDelayMillis, () -> {
            drain(slowPublishes, true, null);
            drain(slowDeltas, false, null);
        });
        this.lookupFlush = new Deferred(overlay.scheduler(), lookupDelayMillis, this::flushLookups);
        this.renewalDelayMillis = refreshDelayMillis;
        this.renewalFlush = new Deferred(overlay.scheduler(), refreshDelayMillis, this::flushRenewals);
        this.publishFailed = publishFailed;
        this.replicateFailed = replicateFailed;
    }

    void publish(NodeHandle to, InfoHash infoHash, int hops, Entry entry, Origin origin) {
        add(entry.refresh() ? slowPublishes : publishes, to, infoHash, hops, 0, entry, origin, true);
    }

    void delta(NodeHandle to, InfoHash infoHash, long downloaded, Entry entry, Origin origin) {
        add(entry.refresh() ? slowDeltas : deltas, to, infoHash, 0, downloaded, entry, origin, false);
    }

    private void add(Map<NodeHandle, EntryBatch> batches, NodeHandle to, InfoHash infoHash, int hops, long downloaded,
                     Entry entry, Origin origin, boolean publish) {
        EntryBatch b = batches.computeIfAbsent(to, t -> new EntryBatch());
        if (!b.fits(origin)) {
            batches.remove(to);
            sendRecords(to, b, publish);
            b = new EntryBatch();
            batches.put(to, b);
        }
        b.add(infoHash, hops, downloaded, entry, origin);
        (entry.refresh() ? slowFlush : publish ? publishFlush : deltaFlush).request();
    }

    void query(NodeHandle to, Origin requester, Query q) {
        Map<Origin, List<Query>> byRequester = queries.computeIfAbsent(to, t -> new LinkedHashMap<>());
        List<Query> list = byRequester.computeIfAbsent(requester, r -> new ArrayList<>());
        list.add(q);
        if (list.size() >= 1000) {
            byRequester.remove(requester);
            send(to, new GetPeers(requester, list));
        }
        lookupFlush.request();
    }

    /**
     * A renewal of one of this node's cached samples, from {@code self}: unlike a lookup nobody waits
     * for it, so it waits for others going to the same node (a node renews many swarms an
     * interval, most through few next hops), and goes with the first lookups for this node's own
     * announces sent there meanwhile. At each renewal flush a next hop's renewals are sent if there
     * are at least {@link #MIN_RENEWALS} of them, dropped if fewer and the first has waited the
     * refresh delay, else kept for the next flush (none waits more than twice the delay).
     */
    void renewal(NodeHandle to, Origin self, Query q) {
        Renewals r = renewals.computeIfAbsent(to, t -> new Renewals(overlay.scheduler().nowMillis()));
        r.requester = self;
        r.queries.putIfAbsent(q.infoHash(), q);
        if (r.queries.size() >= MAX_RENEWALS) {
            renewals.remove(to);
            sendRenewals(to, r.requester, r, List.of(), TrackerCounters.Renewal.SENT);
        }
        renewalFlush.request();
    }

    /** An answer for {@code to}; {@code records} are (entry, origin) pairs. */
    void answer(NodeHandle to, InfoHash infoHash, boolean hasPeers, boolean hasCounts, int seeders, int leechers,
                long downloaded, List<HeldSwarms.Record> records, int uniformFrom, long nowMillis) {
        AnswerBatch b = answers.get(to);
        if (b != null && !fits(b, records)) {
            answers.remove(to);
            send(to, new Peers(b.origins, b.answers));
            b = null;
        }
        if (b == null) {
            b = new AnswerBatch();
            answers.put(to, b);
        }
        List<Entry> entries = new ArrayList<>(records.size());
        for (HeldSwarms.Record r : records) {
            int ttl = TrackerContext.ttlSeconds(r.expiresAtMillis, nowMillis, 1);
            entries.add(new Entry(r.endpoint.bytes(), r.peerId, r.seeder, false, false, ttl, b.index(r.origin)));
        }
        b.answers.add(new Answer(infoHash, hasPeers, hasCounts, seeders, leechers, downloaded, entries, uniformFrom));
        b.bytes += ANSWER_HEADER_BYTES + records.size() * TrackerCodec.MAX_ENTRY_BYTES;
        lookupFlush.request();
    }

    /** Bytes of an answer besides its entries. */
    private static final int ANSWER_HEADER_BYTES = 20 + 1 + 4 + 4 + 8 + 2;

    private static boolean fits(AnswerBatch b, List<HeldSwarms.Record> records) {
        int bytes = b.bytes + ANSWER_HEADER_BYTES + records.size() * TrackerCodec.MAX_ENTRY_BYTES;
        int origins = b.origins.size();
        java.util.Set<net.ctracker.overlay.routing.NodeKey> fresh = new java.util.HashSet<>();
        for (HeldSwarms.Record r : records) {
            if (!b.originIndex.containsKey(r.origin.key()) && fresh.add(r.origin.key())) {
                bytes += EntryBatch.originBytes(r.origin);
                origins++;
            }
        }
        return bytes <= TrackerCodec.MAX_BYTES - 64 && origins <= TrackerCodec.MAX_ORIGINS && b.answers.size() < TrackerCodec.MAX_ITEMS;
    }

    /** Sends a whole list ({@code records}) in as many REPLICATE messages of {@code mode} as it takes. */
    void replicateAll(NodeHandle to, Mode mode, InfoHash infoHash, long downloaded, List<HeldSwarms.Record> records,
                      long nowMillis) {
        EntryBatch b = new EntryBatch();
        b.addEmpty(infoHash, 0, downloaded);
        for (HeldSwarms.Record r : records) {
            if (!b.fits(r.origin)) {
                send(to, new Replicate(mode, b.origins(), b.swarms()));
                b = new EntryBatch();
                b.addEmpty(infoHash, 0, downloaded);
            }
            int ttl = TrackerContext.ttlSeconds(r.expiresAtMillis, nowMillis, 0);
            b.add(infoHash, 0, downloaded, new Entry(r.endpoint.bytes(), r.peerId, r.seeder, false, false, ttl, 0), r.origin);
        }
        send(to, new Replicate(mode, b.origins(), b.swarms()));
    }

    /** Sends one message now. */
    void send(NodeHandle to, TrackerMessage message) {
        byte[] payload;
        try {
            payload = TrackerCodec.encode(message);
        } catch (RuntimeException e) {
            // a defect (a batch over the limits): never let it stop the loop
            counters.failed(message.kind());
            return;
        }
        counters.sent(message.kind());
        overlay.send(to, payload, ok -> {
            if (!ok) {
                counters.failed(message.kind());
                if (message instanceof Publish p) {
                    publishFailed.accept(to, p);
                } else if (message instanceof Replicate r && (r.mode() == Mode.HANDOFF || r.mode() == Mode.FULL)) {
                    replicateFailed.accept(to, r);
                }
            }
        });
    }

    /** Sends everything waiting now, but renewals (this node is leaving: it will not use their answers). */
    void flushAll() {
        renewals.values().forEach(r -> counters.renewals(TrackerCounters.Renewal.DROPPED, r.queries.size()));
        renewals.clear();
        publishFlush.run();
        deltaFlush.run();
        slowFlush.run();
        lookupFlush.run();
    }

    /** Sends every batch; refreshes waiting for the same node ({@code riders}) go along as far as they fit. */
    private void drain(Map<NodeHandle, EntryBatch> batches, boolean publish, Map<NodeHandle, EntryBatch> riders) {
        List<Map.Entry<NodeHandle, EntryBatch>> all = new ArrayList<>(batches.entrySet());
        batches.clear();
        for (Map.Entry<NodeHandle, EntryBatch> e : all) {
            EntryBatch slow = riders == null ? null : riders.get(e.getKey());
            if (slow != null && slow.moveInto(e.getValue())) {
                riders.remove(e.getKey());
            }
            sendRecords(e.getKey(), e.getValue(), publish);
        }
    }

    private void sendRecords(NodeHandle to, EntryBatch b, boolean publish) {
        if (b.isEmpty()) {
            return;
        }
        send(to, publish ? new Publish(b.origins(), b.swarms()) : new Replicate(Mode.DELTA, b.origins(), b.swarms()));
    }

    private void flushRenewals() {
        long now = overlay.scheduler().nowMillis();
        List<Map.Entry<NodeHandle, Renewals>> all = new ArrayList<>(renewals.entrySet());
        boolean waiting = false;
        for (Map.Entry<NodeHandle, Renewals> e : all) {
            Renewals r = e.getValue();
            if (r.queries.size() >= MIN_RENEWALS) {
                renewals.remove(e.getKey());
                sendRenewals(e.getKey(), r.requester, r, List.of(), TrackerCounters.Renewal.SENT);
            } else if (now - r.sinceMillis >= renewalDelayMillis) {
                renewals.remove(e.getKey());
                counters.renewals(TrackerCounters.Renewal.DROPPED, r.queries.size());
            } else {
                waiting = true; // queued after this flush was scheduled: it has its wait still
            }
        }
        if (waiting) {
            renewalFlush.request();
        }
    }

    /** One GET_PEERS with {@code lookups} (of the same requester) and the renewals of swarms they do not look up already. */
    private void sendRenewals(NodeHandle to, Origin requester, Renewals r, List<Query> lookups, TrackerCounters.Renewal outcome) {
        List<Query> all = new ArrayList<>(lookups);
        java.util.Set<InfoHash> asked = new java.util.HashSet<>();
        lookups.forEach(q -> asked.add(q.infoHash()));
        for (Query q : r.queries.values()) {
            if (asked.add(q.infoHash())) {
                all.add(q); // (a renewal of a swarm the lookups ask for already is served by them)
            }
        }
        counters.renewals(outcome, r.queries.size());
        send(to, new GetPeers(requester, all));
    }

    private void flushLookups() {
        List<Map.Entry<NodeHandle, Map<Origin, List<Query>>>> q = new ArrayList<>(queries.entrySet());
        queries.clear();
        for (Map.Entry<NodeHandle, Map<Origin, List<Query>>> e : q) {
            e.getValue().forEach((requester, list) -> {
                Renewals riders = renewals.get(e.getKey());
                if (riders != null && riders.requester.key().equals(requester.key())) {
                    renewals.remove(e.getKey()); // once: this node's lookups may sit under two origins (a new coordinate)
                    sendRenewals(e.getKey(), requester, riders, list, TrackerCounters.Renewal.RODE);
                } else {
                    send(e.getKey(), new GetPeers(requester, list));
                }
            });
        }
        List<Map.Entry<NodeHandle, AnswerBatch>> a = new ArrayList<>(answers.entrySet());
        answers.clear();
        for (Map.Entry<NodeHandle, AnswerBatch> e : a) {
            send(e.getKey(), new Peers(e.getValue().origins, e.getValue().answers));
        }
    }
}
