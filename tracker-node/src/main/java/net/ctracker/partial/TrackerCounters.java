package net.ctracker.partial;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The partial trackers' figures. Message and record counts are written by the overlay's event loop
 * and by the announce threads alike, so they are adders; {@link #snapshot()} copies them for
 * metrics and the admin API. Low cardinality: kinds and outcomes only.
 */
public final class TrackerCounters {

    /** How an announce or scrape got its peers and counts from the rest of the cluster. */
    public enum Lookup {
        /** a cached answer younger than the cache TTL */
        CACHE,
        /** an older cached answer, good enough for a re-announce or an announce the node could answer itself */
        STALE,
        /** waited: answered from this node's own held lists (it is the swarm's root, replica or on its route) */
        LOCAL,
        /** waited: answered by another node within the budget */
        REMOTE,
        /** waited: no answer within the budget, answered with what the node had */
        BUDGET_EXPIRED,
        /** too many lookups in flight: answered with what the node had */
        OVERLOADED
    }

    /** What became of a renewal: a background lookup that renews a sample still in use before it ages out. */
    public enum Renewal {
        /** sent in a batch of renewals to one next hop */
        SENT,
        /** sent along with lookups going to the same next hop */
        RODE,
        /** too few for their next hop to be worth a message: the swarm is looked up when its sample is gone, as before */
        DROPPED
    }

    private final Map<TrackerMessage.Kind, LongAdder> sent = new EnumMap<>(TrackerMessage.Kind.class);
    private final Map<TrackerMessage.Kind, LongAdder> received = new EnumMap<>(TrackerMessage.Kind.class);
    private final Map<TrackerMessage.Kind, LongAdder> failed = new EnumMap<>(TrackerMessage.Kind.class);
    private final Map<Lookup, LongAdder> lookups = new EnumMap<>(Lookup.class);
    private final Map<Renewal, LongAdder> renewals = new EnumMap<>(Renewal.class);
    final LongAdder recordsPublished = new LongAdder();
    final LongAdder changesDropped = new LongAdder();
    final LongAdder lookupsSent = new LongAdder();
    final LongAdder lookupsTimedOut = new LongAdder();
    final LongAdder handoffs = new LongAdder();
    final LongAdder replicaRepairs = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder droppedHopLimit = new LongAdder();
    final LongAdder requests = new LongAdder();

    public TrackerCounters() {
        for (TrackerMessage.Kind k : TrackerMessage.Kind.values()) {
            sent.put(k, new LongAdder());
            received.put(k, new LongAdder());
            failed.put(k, new LongAdder());
        }
        for (Lookup l : Lookup.values()) {
            lookups.put(l, new LongAdder());
        }
        for (Renewal r : Renewal.values()) {
            renewals.put(r, new LongAdder());
        }
    }

    void sent(TrackerMessage.Kind k) {
        sent.get(k).increment();
    }

    void received(TrackerMessage.Kind k) {
        received.get(k).increment();
    }

    void failed(TrackerMessage.Kind k) {
        failed.get(k).increment();
    }

    void lookup(Lookup outcome) {
        lookups.get(outcome).increment();
    }

    void renewals(Renewal outcome, int n) {
        renewals.get(outcome).add(n);
    }

    /** A copy for readers. */
    public record Snapshot(Map<TrackerMessage.Kind, Long> sent, Map<TrackerMessage.Kind, Long> received,
                           Map<TrackerMessage.Kind, Long> failed, Map<Lookup, Long> lookups, long recordsPublished,
                           long changesDropped, long lookupsSent, long lookupsTimedOut, long handoffs,
                           long replicaRepairs, long malformed, long droppedHopLimit, long requests,
                           Map<Renewal, Long> renewals) {

        /** Tracker messages this node sent, of every kind. */
        public long messagesSent() {
            return sent.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(copy(sent), copy(received), copy(failed), copy(lookups), recordsPublished.sum(),
                changesDropped.sum(), lookupsSent.sum(), lookupsTimedOut.sum(), handoffs.sum(), replicaRepairs.sum(),
                malformed.sum(), droppedHopLimit.sum(), requests.sum(), copy(renewals));
    }

    private static <K extends Enum<K>> Map<K, Long> copy(Map<K, LongAdder> m) {
        Map<K, Long> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
