package net.ctracker.partial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.partial.TrackerMessage.SwarmRecords;
import net.ctracker.swarm.InfoHash;

/**
 * Records for many swarms on their way to one node, grouped by swarm, with one origins table;
 * knows its encoded size so that a message never exceeds {@link TrackerCodec#MAX_BYTES}.
 * Later records of the same peer in the same swarm replace earlier ones (coalescing).
 */
final class EntryBatch {

    /** Room kept free for the message header and rounding. */
    private static final int HEADROOM = 64;

    private final Map<NodeKey, Integer> originIndex = new HashMap<>();
    private final List<Origin> origins = new ArrayList<>();
    private final LinkedHashMap<InfoHash, Group> groups = new LinkedHashMap<>();
    private int bytes = 8;
    private int entries;

    private static final class Group {
        int hops;
        long downloaded;
        final LinkedHashMap<Endpoint, Entry> entries = new LinkedHashMap<>();
    }

    /** Bytes one origin takes on the wire. */
    static int originBytes(Origin o) {
        return 20 + 2 + o.address().length() * 3 + 1 + o.region().length() * 3 + 1 + 4 * (o.coordinate().dimensions() + 2);
    }

    boolean isEmpty() {
        return entries == 0 && groups.isEmpty();
    }

    int entries() {
        return entries;
    }

    /** Whether one more entry (and perhaps a new swarm and origin) still fits. */
    boolean fits(Origin origin) {
        int need = TrackerCodec.MAX_ENTRY_BYTES + TrackerCodec.SWARM_HEADER_BYTES
                + (originIndex.containsKey(origin.key()) ? 0 : originBytes(origin));
        return bytes + need <= TrackerCodec.MAX_BYTES - HEADROOM && origins.size() < TrackerCodec.MAX_ORIGINS
                && groups.size() < TrackerCodec.MAX_ITEMS;
    }

    /** Adds an entry (the caller checked {@link #fits}); {@code entry.origin()} is ignored and set from {@code origin}. */
    void add(InfoHash infoHash, int hops, long downloaded, Entry entry, Origin origin) {
        Integer index = originIndex.get(origin.key());
        if (index == null) {
            index = origins.size();
            originIndex.put(origin.key(), index);
            origins.add(origin);
            bytes += originBytes(origin);
        }
        Group g = groups.get(infoHash);
        if (g == null) {
            g = new Group();
            groups.put(infoHash, g);
            bytes += TrackerCodec.SWARM_HEADER_BYTES;
        }
        g.hops = Math.max(g.hops, hops);
        g.downloaded = Math.max(g.downloaded, downloaded);
        if (g.entries.size() >= TrackerCodec.MAX_ITEMS) {
            return;
        }
        Entry before = g.entries.get(new Endpoint(entry.endpoint()));
        // a refresh never hides a change that waits in the same batch
        boolean refresh = entry.refresh() && (before == null || before.refresh());
        Entry previous = g.entries.put(new Endpoint(entry.endpoint()), new Entry(entry.endpoint(), entry.peerId(),
                entry.seeder(), entry.completed() || previousCompleted(g, entry), entry.removed(), entry.ttlSeconds(), index,
                refresh));
        if (previous == null) {
            bytes += TrackerCodec.MAX_ENTRY_BYTES;
            entries++;
        }
    }

    /** Adds a swarm with no records (to carry its count of downloads). */
    void addEmpty(InfoHash infoHash, int hops, long downloaded) {
        Group g = groups.computeIfAbsent(infoHash, h -> {
            bytes += TrackerCodec.SWARM_HEADER_BYTES;
            return new Group();
        });
        g.hops = Math.max(g.hops, hops);
        g.downloaded = Math.max(g.downloaded, downloaded);
    }

    private static boolean previousCompleted(Group g, Entry entry) {
        Entry before = g.entries.get(new Endpoint(entry.endpoint()));
        // a peer that completed and re-announced within one batch still counts its download once
        return before != null && before.completed() && entry.seeder() && !entry.removed();
    }

    List<Origin> origins() {
        return origins;
    }

    /** Moves as many of this batch's entries into {@code target} as fit there; true if none are left. */
    boolean moveInto(EntryBatch target) {
        java.util.Iterator<Map.Entry<InfoHash, Group>> groupsLeft = groups.entrySet().iterator();
        while (groupsLeft.hasNext()) {
            Map.Entry<InfoHash, Group> ge = groupsLeft.next();
            Group g = ge.getValue();
            java.util.Iterator<Entry> it = g.entries.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                Origin o = origins.get(e.origin());
                if (!target.fits(o)) {
                    return false;
                }
                target.add(ge.getKey(), g.hops, g.downloaded, e, o);
                it.remove();
                entries--;
            }
            groupsLeft.remove();
        }
        return true;
    }

    List<SwarmRecords> swarms() {
        List<SwarmRecords> out = new ArrayList<>(groups.size());
        for (Map.Entry<InfoHash, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            out.add(new SwarmRecords(e.getKey(), g.hops, g.downloaded, new ArrayList<>(g.entries.values())));
        }
        return out;
    }
}
