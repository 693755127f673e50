package net.ctracker.swarm;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

import net.ctracker.time.Clock;

/**
 * The node's own peer lists: swarms keyed by info_hash, peers keyed by (address, port) within a
 * swarm, so that one client cannot overwrite another's record.
 *
 * <p>Invariants: every record expires one TTL after its last announce (selection skips expired
 * records at once, {@link #sweep()} frees them); swarm count, peers per swarm and peers in total are
 * capped, and a new record beyond a cap evicts the least recently announced (swarms: within their
 * stripe, by last announce to within {@link #TOUCH_TICKS} seconds; peers: the oldest of the swarm).
 * Threat model: clients choose info_hash, peer_id and port freely and may flood; the caps bound
 * memory, and hash seeds are secret per process.
 *
 * <p>Concurrency: swarms are spread over 64 stripes by info_hash, each with its own lock, held for
 * one announce's update and O(numwant) selection. Totals are kept in adders for metrics.
 */
public final class SwarmStore {

    private static final int STRIPES = 64;
    private static final int STRIPE_SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(STRIPES);
    private static final int[] V4_FIRST = {4, 16};
    private static final int[] V6_FIRST = {16, 4};
    private static final boolean[] BOTH_STATES = {false, true};

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final StoreLimits limits;
    private final Clock clock;
    private final long baseMillis;
    private final int ttlTicks;
    private final int maxSwarmsPerStripe;
    private final long hashSeed;
    private final AtomicInteger swarms = new AtomicInteger();
    private final LongAdder seeders = new LongAdder();
    private final LongAdder leechers = new LongAdder();
    private final LongAdder evictedPeers = new LongAdder();
    private final LongAdder evictedSwarms = new LongAdder();
    private final LongAdder expiredPeers = new LongAdder();
    private volatile PeerChangeListener listener = PeerChangeListener.NONE;

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final LinkedHashMap<InfoHash, Swarm> swarms = new LinkedHashMap<>();
        final RandomGenerator random;

        Stripe(long seed) {
            random = new SplittableRandom(seed);
        }
    }

    public SwarmStore(StoreLimits limits, Clock clock, RandomGenerator random) {
        this.limits = limits;
        this.clock = clock;
        this.baseMillis = clock.nowMillis();
        this.ttlTicks = (int) Math.min(Integer.MAX_VALUE / 4, limits.peerTtl().toSeconds());
        this.maxSwarmsPerStripe = Math.max(1, (limits.maxSwarms() + STRIPES - 1) / STRIPES);
        this.hashSeed = random.nextLong();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(random.nextLong());
        }
    }

    public void setListener(PeerChangeListener listener) {
        this.listener = listener == null ? PeerChangeListener.NONE : listener;
    }

    /**
     * Records one announce and fills {@code out} with the swarm's counts and up to {@code numwant}
     * other live peers: the requester's address family first, then the other; a seeder gets
     * leechers first. A {@code stopped} announce removes the peer and returns no peers.
     *
     * @param endpoint compact address and port of the requester (6 bytes IPv4, 18 bytes IPv6)
     * @param left bytes the requester still needs; 0 makes it a seeder
     */
    public void announce(InfoHash infoHash, byte[] endpoint, byte[] peerId, long left,
                         AnnounceEvent event, int numwant, PeerSelection out) {
        out.clear();
        int addressLength = addressLength(endpoint);
        int tick = tick();
        Stripe stripe = stripeOf(infoHash);
        stripe.lock.lock();
        try {
            if (event == AnnounceEvent.STOPPED) {
                stop(stripe, infoHash, endpoint, addressLength, out);
                return;
            }
            Swarm swarm = touch(stripe, infoHash, tick);
            boolean seeder = left == 0;
            int position = upsert(stripe, infoHash, swarm, endpoint, peerId, addressLength, seeder, event, tick, out);
            out.complete = swarm.seeders();
            out.incomplete = swarm.leechers();
            select(stripe.random, swarm, addressLength, seeder, position,
                    Math.min(numwant, out.capacity()), tick - ttlTicks, out);
        } finally {
            stripe.lock.unlock();
        }
    }

    /** Counts for a scrape; {@link SwarmCounts#EMPTY} for an unknown swarm. */
    public SwarmCounts scrape(InfoHash infoHash) {
        Stripe stripe = stripeOf(infoHash);
        stripe.lock.lock();
        try {
            Swarm swarm = stripe.swarms.get(infoHash);
            return swarm == null ? SwarmCounts.EMPTY : swarm.counts();
        } finally {
            stripe.lock.unlock();
        }
    }

    /** Visits every swarm's counts (full scrape, admin views); one stripe locked at a time. */
    public void forEachSwarm(BiConsumer<InfoHash, SwarmCounts> visitor) {
        for (Stripe stripe : stripes) {
            List<Map.Entry<InfoHash, SwarmCounts>> batch = new ArrayList<>();
            stripe.lock.lock();
            try {
                for (Map.Entry<InfoHash, Swarm> e : stripe.swarms.entrySet()) {
                    batch.add(Map.entry(e.getKey(), e.getValue().counts()));
                }
            } finally {
                stripe.lock.unlock();
            }
            batch.forEach(e -> visitor.accept(e.getKey(), e.getValue()));
        }
    }

    /** A copy of one swarm's live records, for replication and handoff. */
    public List<PeerRecord> peers(InfoHash infoHash) {
        List<PeerRecord> records = new ArrayList<>();
        int liveAfter = tick() - ttlTicks;
        Stripe stripe = stripeOf(infoHash);
        stripe.lock.lock();
        try {
            Swarm swarm = stripe.swarms.get(infoHash);
            if (swarm != null) {
                for (int i = 0; i < swarm.tables.length; i++) {
                    PeerTable t = swarm.tables[i];
                    boolean seeder = (i & 1) == 1;
                    if (t != null) {
                        t.forEach((endpoint, peerId, tick) -> {
                            if (tick > liveAfter) {
                                records.add(new PeerRecord(endpoint, peerId, seeder, tickToMillis(tick)));
                            }
                        });
                    }
                }
            }
        } finally {
            stripe.lock.unlock();
        }
        return records;
    }

    /** Visitor of {@link #forEachAnnouncedSince}. */
    @FunctionalInterface
    public interface AnnouncedVisitor {
        void peer(InfoHash infoHash, byte[] endpoint, byte[] peerId, boolean seeder, long lastAnnounceMillis);
    }

    /**
     * Visits every live record last announced at or after {@code sinceMillis} (second resolution),
     * one stripe locked at a time and the visitor called outside the lock: the partial trackers use
     * it to refresh the copies other nodes hold of peers that re-announced without a change.
     */
    public void forEachAnnouncedSince(long sinceMillis, AnnouncedVisitor visitor) {
        int now = tick();
        int liveAfter = now - ttlTicks;
        int fromTick = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, (sinceMillis - baseMillis) / 1000 + 1));
        for (Stripe stripe : stripes) {
            List<Object[]> batch = new ArrayList<>();
            stripe.lock.lock();
            try {
                for (Map.Entry<InfoHash, Swarm> e : stripe.swarms.entrySet()) {
                    Swarm swarm = e.getValue();
                    for (int i = 0; i < swarm.tables.length; i++) {
                        PeerTable t = swarm.tables[i];
                        if (t == null) {
                            continue;
                        }
                        boolean seeder = (i & 1) == 1;
                        InfoHash h = e.getKey();
                        t.forEach((endpoint, peerId, tick) -> {
                            if (tick > liveAfter && tick >= fromTick) {
                                batch.add(new Object[] {h, endpoint, peerId, seeder, tickToMillis(tick)});
                            }
                        });
                    }
                }
            } finally {
                stripe.lock.unlock();
            }
            for (Object[] p : batch) {
                visitor.peer((InfoHash) p[0], (byte[]) p[1], (byte[]) p[2], (Boolean) p[3], (Long) p[4]);
            }
        }
    }

    /** The peer TTL this store applies, in milliseconds. */
    public long peerTtlMillis() {
        return ttlTicks * 1000L;
    }

    /** Frees expired records and empty swarms; returns how many records expired. */
    public int sweep() {
        int liveAfter = tick() - ttlTicks;
        int expired = 0;
        for (Stripe stripe : stripes) {
            stripe.lock.lock();
            try {
                Iterator<Map.Entry<InfoHash, Swarm>> it = stripe.swarms.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<InfoHash, Swarm> e = it.next();
                    expired += removeUpTo(e.getKey(), e.getValue(), liveAfter, PeerChangeListener.Removal.EXPIRED);
                    if (e.getValue().peers() == 0) {
                        it.remove();
                        swarms.decrementAndGet();
                    }
                }
            } finally {
                stripe.lock.unlock();
            }
        }
        expiredPeers.add(expired);
        return expired;
    }

    public int swarmCount() {
        return swarms.get();
    }

    public long seederCount() {
        return seeders.sum();
    }

    public long leecherCount() {
        return leechers.sum();
    }

    public long peerCount() {
        return seeders.sum() + leechers.sum();
    }

    public long evictedPeers() {
        return evictedPeers.sum();
    }

    public long evictedSwarms() {
        return evictedSwarms.sum();
    }

    public long expiredPeers() {
        return expiredPeers.sum();
    }

    // ---- internals, all called with the stripe lock held ----

    private void stop(Stripe stripe, InfoHash infoHash, byte[] endpoint, int addressLength, PeerSelection out) {
        Swarm swarm = stripe.swarms.get(infoHash);
        if (swarm == null) {
            return;
        }
        for (boolean seeder : BOTH_STATES) {
            PeerTable t = swarm.table(addressLength, seeder);
            int position = t == null ? -1 : t.find(endpoint);
            if (position >= 0) {
                t.remove(position);
                counter(seeder).decrement();
                listener.peerRemoved(infoHash, endpoint, PeerChangeListener.Removal.STOPPED);
            }
        }
        out.complete = swarm.seeders();
        out.incomplete = swarm.leechers();
        if (swarm.peers() == 0) {
            stripe.swarms.remove(infoHash);
            swarms.decrementAndGet();
        }
    }

    /** A swarm moves in its stripe's order at most once in this many ticks (seconds). */
    static final int TOUCH_TICKS = 16;

    /**
     * The swarm, made the stripe's most recently announced. Moving it to the end of the stripe's
     * order (a remove and a put, cache misses on its neighbours) was most of this method's 2.9% of
     * a node's CPU on the public port, so it moves at most once every {@link #TOUCH_TICKS} ticks and
     * otherwise only notes the tick of its announce; eviction gives a swarm announced since its
     * last move a second chance ({@link #evictLeastRecent}), so the order evicts by last announce.
     */
    private Swarm touch(Stripe stripe, InfoHash infoHash, int tick) {
        Swarm swarm = stripe.swarms.get(infoHash);
        if (swarm != null) {
            swarm.announcedTick = tick;
            if (tick - swarm.touchedTick >= TOUCH_TICKS || tick < swarm.touchedTick) {
                stripe.swarms.remove(infoHash);
                stripe.swarms.put(infoHash, swarm);
                swarm.touchedTick = tick;
            }
            return swarm;
        }
        if (stripe.swarms.size() >= maxSwarmsPerStripe) {
            evictLeastRecent(stripe, null);
        }
        swarm = new Swarm();
        swarm.touchedTick = tick;
        swarm.announcedTick = tick;
        swarms.incrementAndGet();
        stripe.swarms.put(infoHash, swarm);
        return swarm;
    }

    /** Adds or refreshes the requester's record and returns its position in its table. */
    private int upsert(Stripe stripe, InfoHash infoHash, Swarm swarm, byte[] endpoint, byte[] peerId,
                       int addressLength, boolean seeder, AnnounceEvent event, int tick, PeerSelection out) {
        PeerTable mine = swarm.tableOrCreate(addressLength, seeder, hashSeed);
        int position = mine.find(endpoint);
        if (position >= 0) {
            if (mine.refresh(position, peerId, tick)) {
                listener.peerUpdated(infoHash, endpoint, peerId, seeder, false);
            }
            out.renewed = true;
            return position;
        }
        PeerTable other = swarm.table(addressLength, !seeder);
        int otherPosition = other == null ? -1 : other.find(endpoint);
        boolean wasSeeder = false;
        if (otherPosition >= 0) {
            other.remove(otherPosition);
            counter(!seeder).decrement();
            wasSeeder = !seeder;
            out.renewed = true;
        } else {
            if (swarm.peers() >= limits.maxPeersPerSwarm()) {
                evictOldestPeers(infoHash, swarm, tick - ttlTicks);
            }
            if (peerCount() >= limits.maxPeers()) {
                evictForTotalCap(stripe, infoHash, swarm, tick - ttlTicks);
            }
        }
        boolean completed = event == AnnounceEvent.COMPLETED && seeder && !wasSeeder;
        if (completed) {
            swarm.downloaded++;
        }
        counter(seeder).increment();
        listener.peerUpdated(infoHash, endpoint, peerId, seeder, completed);
        return mine.insert(endpoint, peerId, tick);
    }

    private void select(RandomGenerator random, Swarm swarm, int addressLength, boolean seeder, int ownPosition,
                        int want, int liveAfter, PeerSelection out) {
        for (int family : addressLength == 4 ? V4_FIRST : V6_FIRST) {
            int room = want - out.total();
            if (room <= 0) {
                return;
            }
            PeerSelection.Family sink = out.family(family);
            PeerTable seeds = swarm.table(family, true);
            PeerTable leeches = swarm.table(family, false);
            int skipSeed = family == addressLength && seeder ? ownPosition : -1;
            int skipLeech = family == addressLength && !seeder ? ownPosition : -1;
            if (seeder) {
                int got = selectFrom(random, leeches, room, skipLeech, liveAfter, sink);
                selectFrom(random, seeds, room - got, skipSeed, liveAfter, sink);
            } else {
                int s = available(seeds, skipSeed);
                int l = available(leeches, skipLeech);
                int fromSeeds = s + l <= room ? s : (int) ((long) room * s / (s + l));
                int got = selectFrom(random, seeds, fromSeeds, skipSeed, liveAfter, sink);
                selectFrom(random, leeches, room - got, skipLeech, liveAfter, sink);
            }
        }
    }

    private static int available(PeerTable t, int skip) {
        return t == null ? 0 : t.size() - (skip >= 0 ? 1 : 0);
    }

    private static int selectFrom(RandomGenerator random, PeerTable t, int want, int skip, int liveAfter,
                                  PeerSelection.Family sink) {
        return t == null ? 0 : t.select(random, Math.min(want, sink.room()), skip, liveAfter, sink);
    }

    /** Makes room in a full swarm: expired records first, else every record of the oldest tick. */
    private void evictOldestPeers(InfoHash infoHash, Swarm swarm, int liveAfter) {
        int removed = removeUpTo(infoHash, swarm, liveAfter, PeerChangeListener.Removal.EXPIRED);
        expiredPeers.add(removed);
        if (removed == 0) {
            evictedPeers.add(removeUpTo(infoHash, swarm, swarm.oldestTick(), PeerChangeListener.Removal.EVICTED));
        }
    }

    /** Over the total cap: drop this stripe's least recently announced swarm, or thin this one. */
    private void evictForTotalCap(Stripe stripe, InfoHash current, Swarm swarm, int liveAfter) {
        if (!evictLeastRecent(stripe, swarm) && swarm.peers() > 0) {
            evictOldestPeers(current, swarm, liveAfter);
        }
    }

    /**
     * Evicts the stripe's least recently announced swarm other than {@code spare}; false if there is
     * none. The swarm at the front of the order that was announced since it last moved is moved to
     * the end instead (its move caught up) and the next is looked at: each announce earns a swarm at
     * most one such move, so the cost is O(1) per announce over time.
     */
    private boolean evictLeastRecent(Stripe stripe, Swarm spare) {
        for (int moves = 0; moves <= stripe.swarms.size(); moves++) {
            Iterator<Map.Entry<InfoHash, Swarm>> it = stripe.swarms.entrySet().iterator();
            Map.Entry<InfoHash, Swarm> eldest = null;
            while (it.hasNext() && eldest == null) {
                Map.Entry<InfoHash, Swarm> e = it.next();
                eldest = e.getValue() == spare ? null : e;
            }
            if (eldest == null) {
                return false;
            }
            Swarm s = eldest.getValue();
            if (s.announcedTick == s.touchedTick) {
                evictSwarm(it, eldest);
                return true;
            }
            it.remove();
            stripe.swarms.put(eldest.getKey(), s);
            s.touchedTick = s.announcedTick;
        }
        return false;
    }

    /** Drops the swarm {@code it} just returned, with all its peers. */
    private void evictSwarm(Iterator<Map.Entry<InfoHash, Swarm>> it, Map.Entry<InfoHash, Swarm> entry) {
        evictedPeers.add(removeUpTo(entry.getKey(), entry.getValue(), Integer.MAX_VALUE, PeerChangeListener.Removal.EVICTED));
        it.remove();
        swarms.decrementAndGet();
        evictedSwarms.increment();
    }

    private int removeUpTo(InfoHash infoHash, Swarm swarm, int tick, PeerChangeListener.Removal why) {
        PeerChangeListener l = listener;
        PeerTable.RemovalSink sink = l == PeerChangeListener.NONE ? PeerTable.RemovalSink.NONE
                : (data, offset, length) -> l.peerRemoved(infoHash, java.util.Arrays.copyOfRange(data, offset, offset + length), why);
        int removed = 0;
        for (int i = 0; i < swarm.tables.length; i++) {
            PeerTable t = swarm.tables[i];
            if (t != null && t.size() > 0) {
                int n = t.removeUpTo(tick, sink);
                counter((i & 1) == 1).add(-n);
                removed += n;
            }
        }
        return removed;
    }

    private LongAdder counter(boolean seeder) {
        return seeder ? seeders : leechers;
    }

    private Stripe stripeOf(InfoHash infoHash) {
        return stripes[stripeIndex(infoHash)];
    }

    /** Which stripe holds the swarm (tests pick swarms that share one). */
    static int stripeIndex(InfoHash infoHash) {
        // the top bits of a multiplicative mix: the stripe maps' own buckets use the low bits, and
        // sharing them would crowd each stripe's swarms into 1/64 of its buckets
        return (infoHash.hashCode() * 0x9E3779B9) >>> STRIPE_SHIFT;
    }

    private int tick() {
        return (int) Math.min(Integer.MAX_VALUE / 2, (clock.nowMillis() - baseMillis) / 1000) + 1;
    }

    private long tickToMillis(int tick) {
        return baseMillis + (tick - 1) * 1000L;
    }

    private static int addressLength(byte[] endpoint) {
        if (endpoint.length == 6) {
            return 4;
        }
        if (endpoint.length == 18) {
            return 16;
        }
        throw new IllegalArgumentException("a compact endpoint is 6 or 18 bytes");
    }
}
