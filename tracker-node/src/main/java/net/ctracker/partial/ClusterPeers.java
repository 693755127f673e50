package net.ctracker.partial;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.LocalityConfig;
import net.ctracker.locality.LocalityObserver;

import net.ctracker.partial.TrackerCounters.Lookup;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.RemotePeers;
import net.ctracker.swarm.SwarmCounts;
import net.ctracker.time.Cancellable;
import net.ctracker.time.Scheduler;

/**
 * The announce threads' side of the partial trackers: joins each answer to what the cluster knows
 * of the swarm, from a per-swarm cache; looks a swarm up (one lookup per swarm at a time, however
 * many announces wait) when the node lacks peers and has no fresh answer; answers a waiting announce
 * when the lookup completes or the budget runs out, whichever comes first, without holding the
 * caller's thread.
 *
 * <p>When to look up: an announce whose own answer is short of numwant looks the swarm up unless the
 * cache holds a fresh answer (younger than the cache TTL; a smaller-than-asked answer for less, down to
 * the empty-cache TTL), or the requester is re-announcing and the cache holds one younger than the
 * stale TTL (a client that re-announces already has peers). An announce the node can fill itself
 * never waits: it gets the random share from whatever answer is cached; a newcomer answered from an
 * older sample refreshes it in the background (a re-announce only when the sample is empty); a
 * re-announce answered from a sample over about half an interval old asks for a renewal, which
 * waits to share a message with others (see {@link Outbox#renewal}), so that the next re-announces
 * find a sample whose records have not expired and need not wait. A
 * scrape waits for the counts of every hash that has no fresh counts. A node that knows no other
 * node and holds nothing from one ({@link #setAlone}) answers from its own store only, ranked, and
 * never looks up.
 *
 * <p>Thread-safe: the cache and the lookups in flight are concurrent maps; the overlay's event loop
 * completes lookups. Memory: at most {@code maxCacheSwarms} cached answers of at most
 * {@code cachePeers} peers, at most {@code maxPendingLookups} lookups in flight.
 */
public final class ClusterPeers implements RemotePeers {

    private final PartialConfig config;
    private final Scheduler loop;
    private final TrackerCounters counters;
    private final SplittableRandom seeds;
    private final ThreadLocal<SplittableRandom> random;
    private final Map<InfoHash, CachedSwarm> cache = new ConcurrentHashMap<>();
    private final Map<InfoHash, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private volatile LookupStarter starter = new LookupStarter() {
        @Override
        public void start(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder, Object token) {
        }

        @Override
        public void renew(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder) {
        }
    };
    /** One answer in this many is measured for the locality figures. */
    private static final int OBSERVE_ONE_IN = 8;
    private final LocalityConfig locality;
    private final java.util.concurrent.atomic.AtomicLong observed = new java.util.concurrent.atomic.AtomicLong();
    private volatile Supplier<Origin> self = () -> null;
    /** Nothing is known beyond this node's store (no other node, nothing held): answers are the node's own, ranked. */
    private volatile boolean alone;
    private volatile Supplier<AltoMaps> maps = () -> AltoMaps.NONE;
    private volatile LocalityObserver observer = LocalityObserver.NONE;

    /** Starts lookups on the overlay's loop. */
    interface LookupStarter {
        /** A lookup; {@code token} identifies it to {@link #failed}. */
        void start(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder, Object token);

        /** A renewal of a sample still in use: nobody waits for it, it may wait to share a message, or be dropped. */
        void renew(InfoHash infoHash, int numwant, boolean needCounts, boolean requesterSeeder);
    }

    /** A lookup in flight and the requests waiting on it. */
    private static final class Pending {
        final List<Waiter> waiters = new ArrayList<>();
        boolean peersAsked;
        boolean countsAsked;
        boolean gotPeers;
        boolean gotCounts;
        boolean done;
    }

    /** A request waiting on lookups, answered exactly once. */
    private abstract static class Waiter {
        private final AtomicBoolean answered = new AtomicBoolean();
        Cancellable budget = Cancellable.NONE;

        /** Whether this answer completes the wait (an announce needs a sample, a scrape counts). */
        abstract boolean satisfiedBy(TrackerMessage.Answer answer);

        abstract void answer(boolean expired);

        final void fire(boolean expired) {
            if (answered.compareAndSet(false, true)) {
                budget.cancel();
                answer(expired);
            }
        }
    }

    public ClusterPeers(PartialConfig config, LocalityConfig locality, Scheduler loop, TrackerCounters counters, long seed) {
        this.config = config;
        this.locality = locality;
        this.loop = loop;
        this.counters = counters;
        this.seeds = new SplittableRandom(seed);
        this.random = ThreadLocal.withInitial(this::nextRandom);
    }

    private synchronized SplittableRandom nextRandom() {
        return seeds.split();
    }

    /** Whether this node knows nothing beyond its own store; while it does not, announces and scrapes never look up. */
    void setAlone(boolean alone) {
        this.alone = alone;
    }

    void setStarter(LookupStarter starter) {
        this.starter = starter;
    }

    // ------------------------------------------------------------------ announce

    @Override
    public boolean completeAnnounce(InfoHash infoHash, byte[] endpoint, boolean seeder, int numwant,
                                    PeerSelection selection, Consumer<PeerSelection> later) {
        counters.requests.increment();
        long now = loop.nowMillis();
        if (alone) {
            merge(selection, null, endpoint, seeder, numwant, now);
            return true;
        }
        CachedSwarm entry = cache.get(infoHash);
        long age = entry == null || !entry.hasSample() ? Long.MAX_VALUE : now - entry.sampleAtMillis;
        boolean lacks = selection.total() < numwant;
        boolean fresh = age <= freshFor(entry);
        boolean usable = age <= config.staleTtlMillis();
        if (fresh || (usable && (!lacks || selection.renewed()))) {
            merge(selection, entry, endpoint, seeder, numwant, now);
            counters.lookup(fresh ? Lookup.CACHE : Lookup.STALE);
            if (!fresh && (!selection.renewed() || entry.size() == 0)) {
                // answered from an older sample: a newcomer (or a sample with nobody in it) refreshes it for the next
                lookUp(infoHash, numwant, seeder, false, null);
            } else if (!fresh && age + 2 * config.refreshDelayMillis() >= config.refreshPeriodMillis()) {
                // a re-announce from a sample over half an interval old (with the defaults): renewed within
                // the refresh delay, so that the next re-announce, an interval on, still finds one younger
                // than an interval, whose records have not expired yet
                renew(infoHash, entry, numwant, seeder, now);
            }
            return true;
        }
        if (!lacks) {
            // the node fills the answer itself: no wait; fetch the swarm's sample for the next ones
            merge(selection, entry, endpoint, seeder, numwant, now);
            lookUp(infoHash, numwant, seeder, false, null);
            counters.lookup(Lookup.STALE);
            return true;
        }
        PeerSelection copy = selection.copy(numwant);
        CachedSwarm stale = entry;
        Waiter waiter = new Waiter() {
            @Override
            boolean satisfiedBy(TrackerMessage.Answer a) {
                return a.hasPeers();
            }

            @Override
            void answer(boolean expired) {
                CachedSwarm e = cache.get(infoHash);
                boolean got = e != null && e != stale && e.hasSample();
                counters.lookup(expired && !got ? Lookup.BUDGET_EXPIRED
                        : e != null && e.fromHere ? Lookup.LOCAL : Lookup.REMOTE);
                merge(copy, e, endpoint, seeder, numwant, loop.nowMillis());
                later.accept(copy);
            }
        };
        if (!lookUp(infoHash, numwant, seeder, false, waiter)) {
            merge(selection, entry, endpoint, seeder, numwant, now);
            counters.lookup(Lookup.OVERLOADED);
            return true;
        }
        return false;
    }

    /**
     * How long a sample counts as fresh: the cache TTL for a full one; for a sample smaller than what
     * was asked (the swarm elsewhere had no more), shorter in proportion, down to the empty-cache TTL
     * for an empty one, so that peers of a new or growing swarm are found within seconds.
     */
    private long freshFor(CachedSwarm entry) {
        if (entry == null || entry.size() >= config.cachePeers()) {
            return config.cacheTtlMillis();
        }
        long scaled = config.cacheTtlMillis() * entry.size() / config.cachePeers();
        return Math.max(config.emptyCacheTtlMillis(), scaled);
    }

    /** Every answer goes through here, with or without a cached sample: it is cut to numwant, ranked when ranking is on. */
    private void merge(PeerSelection selection, CachedSwarm entry, byte[] endpoint, boolean seeder, int numwant, long now) {
        CachedSwarm e = entry == null ? CachedSwarm.EMPTY : entry;
        boolean countsFresh = e.hasCounts() && now - e.countsAtMillis <= config.staleTtlMillis();
        AnswerMerger.Ranking ranking = null;
        if (locality.ranking()) {
            ranking = new AnswerMerger.Ranking(self.get(), maps.get(), observer,
                    (observed.getAndIncrement() & (OBSERVE_ONE_IN - 1)) == 0);
        }
        AnswerMerger.merge(selection, e, endpoint, seeder, numwant, config.randomShare(), countsFresh, now, random.get(), ranking);
    }

    /** How many of its own peers the node should draw for an announce of {@code numwant}: more to rank from. */
    @Override
    public int candidates(int numwant) {
        return locality.ranking() ? numwant * locality.oversample() : numwant;
    }

    /** Ranks answers from {@code self} (this node with its current coordinate) with the operator's map. */
    public void rankFrom(Supplier<Origin> self, Supplier<AltoMaps> maps, LocalityObserver observer) {
        this.self = self;
        this.maps = maps;
        this.observer = observer;
    }

    // ------------------------------------------------------------------ scrape

    @Override
    public boolean completeScrape(List<InfoHash> hashes, List<SwarmCounts> counts, Consumer<List<SwarmCounts>> later) {
        if (alone) {
            return true;
        }
        long now = loop.nowMillis();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            CachedSwarm e = cache.get(hashes.get(i));
            if (e != null && e.hasCounts() && now - e.countsAtMillis <= config.cacheTtlMillis()) {
                counts.set(i, swarmCounts(counts.get(i), e));
            } else {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            counters.lookup(Lookup.CACHE);
            return true;
        }
        List<SwarmCounts> copy = new ArrayList<>(counts);
        AtomicInteger left = new AtomicInteger(missing.size());
        AtomicBoolean answered = new AtomicBoolean();
        Runnable finish = () -> {
            if (answered.compareAndSet(false, true)) {
                long t = loop.nowMillis();
                boolean all = true;
                for (int i : missing) {
                    CachedSwarm e = cache.get(hashes.get(i));
                    if (e != null && e.hasCounts() && t - e.countsAtMillis <= config.staleTtlMillis()) {
                        copy.set(i, swarmCounts(copy.get(i), e));
                    } else {
                        all = false;
                    }
                }
                counters.lookup(all ? Lookup.REMOTE : Lookup.BUDGET_EXPIRED);
                later.accept(copy);
            }
        };
        Cancellable budget = loop.schedule(config.budgetMillis(), finish);
        int started = 0;
        for (int i : missing) {
            Waiter w = new Waiter() {
                @Override
                boolean satisfiedBy(TrackerMessage.Answer a) {
                    return a.hasCounts();
                }

                @Override
                void answer(boolean expired) {
                    if (left.decrementAndGet() == 0) {
                        budget.cancel();
                        finish.run();
                    }
                }
            };
            w.budget = Cancellable.NONE;
            if (lookUp(hashes.get(i), 0, false, true, w)) {
                started++;
            } else {
                left.decrementAndGet();
            }
        }
        if (started == 0) {
            budget.cancel();
            counters.lookup(Lookup.OVERLOADED);
            return true;
        }
        return false;
    }

    private static SwarmCounts swarmCounts(SwarmCounts local, CachedSwarm e) {
        return new SwarmCounts(local.complete() + e.seederCount, local.incomplete() + e.leecherCount,
                (int) Math.min(Integer.MAX_VALUE, Math.max(local.downloaded(), e.downloaded)));
    }

    // ------------------------------------------------------------------ lookups

    /**
     * Registers {@code waiter} (may be null: a background refresh) on the swarm's lookup, starting
     * one if none is in flight; false when too many are in flight.
     */
    private boolean lookUp(InfoHash infoHash, int numwant, boolean seeder, boolean needCounts, Waiter waiter) {
        while (true) {
            Pending p = pending.get(infoHash);
            boolean mine = false;
            if (p == null) {
                if (pendingCount.get() >= config.maxPendingLookups()) {
                    return false;
                }
                Pending fresh = new Pending();
                p = pending.putIfAbsent(infoHash, fresh);
                if (p == null) {
                    p = fresh;
                    pendingCount.incrementAndGet();
                    mine = true;
                }
            }
            boolean askCounts;
            boolean askPeers;
            synchronized (p) {
                if (p.done) {
                    continue; // completed meanwhile: start over (the next one sees the new cache entry or starts anew)
                }
                if (waiter != null) {
                    p.waiters.add(waiter);
                }
                askCounts = needCounts && !p.countsAsked;
                askPeers = numwant > 0 && !p.peersAsked;
                p.countsAsked |= needCounts;
                p.peersAsked |= numwant > 0;
            }
            if (waiter != null && waiter.budget == Cancellable.NONE && numwant > 0) {
                waiter.budget = loop.schedule(config.budgetMillis(), () -> waiter.fire(true));
            }
            if (mine || askCounts || askPeers) {
                CachedSwarm e = cache.get(infoHash);
                boolean wantCounts = needCounts || e == null || !e.hasCounts()
                        || loop.nowMillis() - e.countsAtMillis > config.cacheTtlMillis();
                int want = numwant == 0 ? 0 : Math.min(TrackerCodec.MAX_NUMWANT, Math.max(numwant, config.cachePeers()));
                Pending token = p;
                loop.execute(() -> starter.start(infoHash, want, wantCounts, seeder, token));
            }
            return true;
        }
    }

    /**
     * Asks for a renewal of {@code entry}, once per entry until it is replaced or the renewal has had
     * its time (the refresh delay it may wait plus the lookup timeout), and not while a lookup is in
     * flight. Renewals are what keeps a sample in use from ageing out, after which the next announce
     * short of peers would wait on a lookup of its own.
     */
    private void renew(InfoHash infoHash, CachedSwarm entry, int numwant, boolean seeder, long now) {
        long asked = entry.renewAskedAtMillis.get();
        if (now - asked < config.refreshDelayMillis() + config.lookupTimeoutMillis() || pending.containsKey(infoHash)
                || !entry.renewAskedAtMillis.compareAndSet(asked, now)) {
            return;
        }
        boolean wantCounts = !entry.hasCounts() || now - entry.countsAtMillis > config.cacheTtlMillis();
        int want = Math.min(TrackerCodec.MAX_NUMWANT, Math.max(numwant, config.cachePeers()));
        loop.execute(() -> starter.renew(infoHash, want, wantCounts, seeder));
    }

    /** An answer for {@code infoHash} arrived (event loop): cache it and wake what it satisfies. */
    void answered(InfoHash infoHash, TrackerMessage.Answer answer, List<Origin> origins, boolean fromHere) {
        long now = loop.nowMillis();
        cache.compute(infoHash, (h, old) -> (old == null ? CachedSwarm.EMPTY : old).with(answer, origins, fromHere, now));
        if (cache.size() > config.maxCacheSwarms()) {
            trim(now);
        }
        Pending p = pending.get(infoHash);
        if (p == null) {
            return;
        }
        List<Waiter> woken = new ArrayList<>();
        synchronized (p) {
            p.gotPeers |= answer.hasPeers();
            p.gotCounts |= answer.hasCounts();
            for (Iterator<Waiter> it = p.waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.satisfiedBy(answer)) {
                    woken.add(w);
                    it.remove();
                }
            }
            if (!p.done && p.waiters.isEmpty() && (!p.peersAsked || p.gotPeers) && (!p.countsAsked || p.gotCounts)) {
                p.done = true;
                pending.remove(infoHash, p);
                pendingCount.decrementAndGet();
            }
        }
        woken.forEach(w -> w.fire(false));
    }

    /** The lookup {@code token} got no (complete) answer in time (event loop): wake everyone with what there is. */
    void failed(InfoHash infoHash, Object token) {
        Pending p = pending.get(infoHash);
        if (p == null || p != token) {
            return;
        }
        List<Waiter> all;
        synchronized (p) {
            if (p.done) {
                return;
            }
            p.done = true;
            all = new ArrayList<>(p.waiters);
            p.waiters.clear();
            pending.remove(infoHash, p);
            pendingCount.decrementAndGet();
        }
        all.forEach(w -> w.fire(true));
    }

    /** Drops answers older than the stale TTL; if still too many, the oldest. Event loop. */
    void trim(long nowMillis) {
        cache.values().removeIf(e -> nowMillis - Math.max(e.sampleAtMillis, e.countsAtMillis) > config.staleTtlMillis());
        int excess = cache.size() - config.maxCacheSwarms();
        if (excess > 0) {
            List<Map.Entry<InfoHash, CachedSwarm>> all = new ArrayList<>(cache.entrySet());
            all.sort(java.util.Comparator.comparingLong(e -> Math.max(e.getValue().sampleAtMillis, e.getValue().countsAtMillis)));
            for (int i = 0; i < excess && i < all.size(); i++) {
                cache.remove(all.get(i).getKey(), all.get(i).getValue());
            }
        }
    }

    int cachedSwarms() {
        return cache.size();
    }

    int lookupsInFlight() {
        return pendingCount.get();
    }

    /** What this node's cache holds of a swarm, for operators: peers in its sample and their age; null if nothing. */
    public record CacheView(int peers, long ageMillis, boolean counts) {
    }

    public CacheView cached(InfoHash infoHash) {
        CachedSwarm e = cache.get(infoHash);
        if (e == null) {
            return null;
        }
        long now = loop.nowMillis();
        return new CacheView(e.size(), e.hasSample() ? now - e.sampleAtMillis : -1, e.hasCounts());
    }
}
