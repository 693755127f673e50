package net.ctracker.overlay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.overlay.message.MessageType;

/** Counters written only by the node's event loop; {@link #snapshot()} copies them for readers. */
final class OverlayCounters {

    private final int types = MessageType.values().length;
    private final long[] sent = new long[types];
    private final long[] acknowledged = new long[types];
    private final long[] failed = new long[types];
    private final long[] received = new long[types];
    private final long[] hops;
    long droppedHopLimit;
    long lookupsCompleted;
    long lookupsTimedOut;
    long neighboursRemoved;

    OverlayCounters(int maxHops) {
        hops = new long[maxHops + 1];
    }

    void sent(MessageType t) {
        sent[t.ordinal()]++;
    }

    void acknowledged(MessageType t) {
        acknowledged[t.ordinal()]++;
    }

    void failed(MessageType t) {
        failed[t.ordinal()]++;
    }

    void received(MessageType t) {
        received[t.ordinal()]++;
    }

    void delivered(int hopCount) {
        hops[Math.min(hopCount, hops.length - 1)]++;
    }

    private static Map<String, Long> byType(long[] values) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (MessageType t : MessageType.values()) {
            out.put(t.name(), values[t.ordinal()]);
        }
        return out;
    }

    NodeSnapshot.Counters snapshot() {
        List<Long> h = new ArrayList<>(hops.length);
        for (long v : hops) {
            h.add(v);
        }
        return new NodeSnapshot.Counters(byType(sent), byType(acknowledged), byType(failed), byType(received),
                droppedHopLimit, lookupsCompleted, lookupsTimedOut, neighboursRemoved, h);
    }
}
