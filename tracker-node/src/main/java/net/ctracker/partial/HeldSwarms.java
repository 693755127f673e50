package net.ctracker.partial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.swarm.InfoHash;

/**
 * The peer records this node holds for peers that announced elsewhere: a full list for the swarms
 * it is responsible for (root or replica), a bounded partial list for swarms whose publishes pass
 * through it (path). Soft state: every record expires at the time its publisher gave it.
 *
 * <p>Invariants: a swarm's records are unique by endpoint; a partial list holds at most
 * {@code pathPeers} records, a full list at most {@code maxPeersPerSwarm}; this node's own peers
 * (counted by {@code localPeers}) and the records held here together stay within {@code maxPeers},
 * and swarms held here within {@code maxSwarms}. Over a cap, partial lists are dropped first, least
 * recently changed first; a full list that is at its cap refuses new records. Threat model: other
 * nodes are trusted to be honest but may be broken or flooded with random info_hashes by their
 * clients; the caps bound what that costs here.
 *
 * <p>Event-loop state: not thread-safe; read by other threads only through snapshots.
 */
final class HeldSwarms {

    /** A time before any other. */
    static final long NEVER = Long.MIN_VALUE / 2;

    /** What an update did. */
    enum Change { ADDED, CHANGED, REFRESHED, REMOVED, NONE, REFUSED }

    /** One held record; {@code index} is its position in its swarm's list. */
    static final class Record {
        final Endpoint endpoint;
        byte[] peerId;
        boolean seeder;
        long expiresAtMillis;
        Origin origin;
        int index;

        Record(Endpoint endpoint, byte[] peerId, boolean seeder, long expiresAtMillis, Origin origin) {
            this.endpoint = endpoint;
            this.peerId = peerId;
            this.seeder = seeder;
            this.expiresAtMillis = expiresAtMillis;
            this.origin = origin;
        }
    }

    /** One swarm's held records. */
    static final class Swarm {
        final InfoHash infoHash;
        final NodeKey key;
        boolean full;
        final List<Record> records = new ArrayList<>();
        final Map<Endpoint, Record> byEndpoint = new HashMap<>();
        int seeders;
        long downloaded;
        /** Seeders and leechers by the node they announced at. */
        final Map<NodeKey, int[]> byOrigin = new HashMap<>(4);
        /** The root and replicas as this node computed them last (full lists only); empty before the first check. */
        List<NodeKey> holders = List.of();
        /** A full list changed since the last digest went out. */
        boolean changed;
        /** When the list last changed (a record added, changed, removed or expired). */
        long changedAtMillis;
        /** Since when the root has held back this changed list's digest (it kept changing); {@link #NEVER} when it is not waiting. */
        long digestWaitingSinceMillis = NEVER;
        /** When this node last asked the holders for the whole list. */
        long pulledAtMillis = NEVER;

        Swarm(InfoHash infoHash) {
            this.infoHash = infoHash;
            this.key = NodeKey.of(infoHash.toBytes());
        }

        int size() {
            return records.size();
        }

        int leechers() {
            return records.size() - seeders;
        }

        /** {seeders, leechers} announced at {@code origin} (zeros if none). */
        int[] countsFrom(NodeKey origin) {
            int[] c = byOrigin.get(origin);
            return c == null ? new int[2] : c.clone();
        }

        void count(Record r, int delta) {
            int[] c = byOrigin.computeIfAbsent(r.origin.key(), k -> new int[2]);
            c[r.seeder ? 0 : 1] += delta;
            if (c[0] == 0 && c[1] == 0) {
                byOrigin.remove(r.origin.key());
            }
        }
    }

    private final LinkedHashMap<InfoHash, Swarm> swarms = new LinkedHashMap<>();
    private final int pathPeers;
    private final int maxPeersPerSwarm;
    private final long maxPeers;
    private final int maxSwarms;
    private final LongSupplier localPeers;
    private final RandomGenerator random;
    private long records;
    private long fullRecords;
    private long refused;
    private long dropped;

    HeldSwarms(int pathPeers, int maxPeersPerSwarm, long maxPeers, int maxSwarms, LongSupplier localPeers,
               RandomGenerator random) {
        this.pathPeers = pathPeers;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
        this.maxPeers = maxPeers;
        this.maxSwarms = maxSwarms;
        this.localPeers = localPeers;
        this.random = random;
    }

    Swarm get(InfoHash h) {
        return swarms.get(h);
    }

    Iterable<Swarm> all() {
        return swarms.values();
    }

    /** Every held swarm, in a new list (safe to change the store while walking it). */
    List<Swarm> swarmList() {
        return new ArrayList<>(swarms.values());
    }

    List<Swarm> fullSwarms() {
        List<Swarm> out = new ArrayList<>();
        for (Swarm s : swarms.values()) {
            if (s.full) {
                out.add(s);
            }
        }
        return out;
    }

    int swarmCount() {
        return swarms.size();
    }

    long records() {
        return records;
    }

    long fullRecords() {
        return fullRecords;
    }

    long pathRecords() {
        return records - fullRecords;
    }

    /** Records refused at a cap, and partial lists dropped to make room. */
    long refused() {
        return refused;
    }

    long droppedPathSwarms() {
        return dropped;
    }

    /** The swarm, created if there is room; null if the caps refuse a new one. */
    Swarm getOrCreate(InfoHash h, boolean full) {
        Swarm s = swarms.get(h);
        if (s != null) {
            if (full && !s.full) {
                makeFull(s);
            }
            return s;
        }
        if (swarms.size() >= maxSwarms && !dropOldestPath(null)) {
            refused++;
            return null;
        }
        s = new Swarm(h);
        s.full = full;
        swarms.put(h, s);
        return s;
    }

    /** A partial list becomes a full one (this node became a replica or root). */
    void makeFull(Swarm s) {
        if (!s.full) {
            s.full = true;
            fullRecords += s.size();
        }
    }

    /** A full list becomes a partial one (this node is no longer responsible): trimmed to the partial bound. */
    void makePartial(Swarm s) {
        if (s.full) {
            s.full = false;
            fullRecords -= s.size();
            s.holders = List.of();
            while (s.size() > pathPeers) {
                removeAt(s, random.nextInt(s.size()));
            }
            if (s.size() == 0) {
                swarms.remove(s.infoHash);
            }
        }
    }

    /**
     * Applies one published or replicated record. A full list counts {@code completed} towards
     * {@code downloaded} once per peer (only when it was not yet a seeder here).
     */
    Change apply(Swarm s, Entry e, Origin origin, long nowMillis) {
        Endpoint endpoint = new Endpoint(e.endpoint());
        Record r = s.byEndpoint.get(endpoint);
        if (e.removed()) {
            if (r == null) {
                return Change.NONE;
            }
            removeAt(s, r.index);
            if (s.size() == 0 && !s.full) {
                swarms.remove(s.infoHash);
            }
            markChanged(s, nowMillis);
            return Change.REMOVED;
        }
        long expires = nowMillis + e.ttlSeconds() * 1000L;
        if (r != null) {
            // a newer copy of the same origin (its coordinate moves) is not a change of the record
            boolean changed = r.seeder != e.seeder() || !java.util.Arrays.equals(r.peerId, e.peerId())
                    || !r.origin.key().equals(origin.key());
            if (s.full && e.completed() && e.seeder() && !r.seeder) {
                s.downloaded++;
            }
            if (r.seeder != e.seeder()) {
                s.seeders += e.seeder() ? 1 : -1;
            }
            s.count(r, -1);
            r.seeder = e.seeder();
            r.peerId = e.peerId();
            r.origin = origin;
            s.count(r, 1);
            r.expiresAtMillis = Math.max(r.expiresAtMillis, expires);
            if (changed) {
                touch(s, nowMillis);
            }
            return changed ? Change.CHANGED : Change.REFRESHED;
        }
        if (e.ttlSeconds() == 0) {
            return Change.NONE;
        }
        r = new Record(endpoint, e.peerId(), e.seeder(), expires, origin);
        if (s.full) {
            if (s.size() >= maxPeersPerSwarm || !roomForOne()) {
                refused++;
                return Change.REFUSED;
            }
        } else if (s.size() >= pathPeers) {
            // a partial list keeps a random part of what passes: the newcomer replaces a random record
            removeAt(s, random.nextInt(s.size()));
        } else if (!roomForOne()) {
            refused++;
            return Change.REFUSED;
        }
        add(s, r);
        if (s.full && e.completed() && e.seeder()) {
            s.downloaded++;
        }
        touch(s, nowMillis);
        return Change.ADDED;
    }

    /** Merges a whole list sent by another holder: newer expiry wins, counts never go down. */
    void mergeDownloaded(Swarm s, long downloaded) {
        s.downloaded = Math.max(s.downloaded, downloaded);
    }

    /** Frees expired records and empty partial lists; returns how many records expired. */
    int sweep(long nowMillis) {
        int expired = 0;
        Iterator<Swarm> it = swarms.values().iterator();
        while (it.hasNext()) {
            Swarm s = it.next();
            for (int i = s.size() - 1; i >= 0; i--) {
                if (s.records.get(i).expiresAtMillis <= nowMillis) {
                    removeAt(s, i);
                    expired++;
                    markChanged(s, nowMillis);
                }
            }
            if (s.size() == 0) {
                it.remove();
            }
        }
        return expired;
    }

    /**
     * Up to {@code want} live records in random order, none announced at {@code excludeOrigin};
     * when {@code prefer} is non-null, records whose seeder state equals it come first. Costs
     * O(want), with a bounded walk when most records do not qualify.
     */
    List<Record> sample(Swarm s, int want, NodeKey excludeOrigin, Boolean prefer, long nowMillis) {
        List<Record> first = new ArrayList<>(Math.min(want, s.size()));
        List<Record> rest = new ArrayList<>();
        int n = s.size();
        int walk = Math.min(n, 4 * want + 64);
        for (int k = 0; k < walk && first.size() < want; k++) {
            int j = k + random.nextInt(n - k);
            swap(s, k, j);
            Record r = s.records.get(k);
            if (r.expiresAtMillis <= nowMillis || (excludeOrigin != null && r.origin.key().equals(excludeOrigin))) {
                continue;
            }
            if (prefer == null || r.seeder == prefer) {
                first.add(r);
            } else if (rest.size() < want) {
                rest.add(r);
            }
        }
        for (int i = 0; i < rest.size() && first.size() < want; i++) {
            first.add(rest.get(i));
        }
        return first;
    }

    /** How many live records do not come from {@code origin} (whether a partial list can answer it). */
    int countNotFrom(Swarm s, NodeKey origin, long nowMillis, int enough) {
        int c = 0;
        for (Record r : s.records) {
            if (r.expiresAtMillis > nowMillis && !r.origin.key().equals(origin) && ++c >= enough) {
                return c;
            }
        }
        return c;
    }

    /** Order-free hash of the live records (endpoint and seeder state) that outlive {@code untilMillis}. */
    static long digest(Swarm s, long untilMillis, int[] count) {
        long h = 0;
        int c = 0;
        for (Record r : s.records) {
            if (r.expiresAtMillis > untilMillis) {
                long x = r.endpoint.hashCode() * 0x9E3779B97F4A7C15L + (r.seeder ? 1 : 0);
                x ^= x >>> 31;
                x *= 0xBF58476D1CE4E5B9L;
                x ^= x >>> 29;
                h ^= x;
                c++;
            }
        }
        count[0] = c;
        return h;
    }

    /** Removes every record announced at {@code origin}; returns how many. O(records held). */
    int removeFrom(NodeKey origin, long nowMillis) {
        int removed = 0;
        for (Iterator<Swarm> it = swarms.values().iterator(); it.hasNext(); ) {
            Swarm s = it.next();
            if (!s.byOrigin.containsKey(origin)) {
                continue;
            }
            for (int i = s.size() - 1; i >= 0; i--) {
                if (s.records.get(i).origin.key().equals(origin)) {
                    removeAt(s, i);
                    removed++;
                }
            }
            markChanged(s, nowMillis);
            if (s.size() == 0 && !s.full) {
                it.remove();
            }
        }
        return removed;
    }

    void removeSwarm(Swarm s) {
        while (s.size() > 0) {
            removeAt(s, s.size() - 1);
        }
        swarms.remove(s.infoHash);
    }

    // ---- internals

    /** A full list that changed is digested for its replicas once quiet (see {@code Replicas.sendDigests}). */
    private static void markChanged(Swarm s, long nowMillis) {
        if (s.full) {
            s.changed = true;
            s.changedAtMillis = nowMillis;
        }
    }

    private void touch(Swarm s, long nowMillis) {
        markChanged(s, nowMillis);
        if (!s.full) {
            // recency order for dropping partial lists: re-insert at the end
            swarms.remove(s.infoHash);
            swarms.put(s.infoHash, s);
        }
    }

    private boolean roomForOne() {
        return localPeers.getAsLong() + records < maxPeers || dropOldestPath(null);
    }

    /** Drops the least recently changed partial list other than {@code keep}; false if there is none. */
    private boolean dropOldestPath(Swarm keep) {
        for (Iterator<Swarm> it = swarms.values().iterator(); it.hasNext(); ) {
            Swarm s = it.next();
            if (!s.full && s != keep) {
                while (s.size() > 0) {
                    removeAt(s, s.size() - 1);
                }
                it.remove();
                dropped++;
                return true;
            }
        }
        return false;
    }

    private void add(Swarm s, Record r) {
        r.index = s.records.size();
        s.records.add(r);
        s.byEndpoint.put(r.endpoint, r);
        s.count(r, 1);
        if (r.seeder) {
            s.seeders++;
        }
        records++;
        if (s.full) {
            fullRecords++;
        }
    }

    private void removeAt(Swarm s, int index) {
        Record r = s.records.get(index);
        int last = s.records.size() - 1;
        if (index != last) {
            Record moved = s.records.get(last);
            s.records.set(index, moved);
            moved.index = index;
        }
        s.records.remove(last);
        s.byEndpoint.remove(r.endpoint);
        s.count(r, -1);
        if (r.seeder) {
            s.seeders--;
        }
        records--;
        if (s.full) {
            fullRecords--;
        }
    }

    private static void swap(Swarm s, int i, int j) {
        if (i != j) {
            Record a = s.records.get(i);
            Record b = s.records.get(j);
            s.records.set(i, b);
            s.records.set(j, a);
            a.index = j;
            b.index = i;
        }
    }
}
