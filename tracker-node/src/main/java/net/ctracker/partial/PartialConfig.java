package net.ctracker.partial;

/**
 * Every tunable of the partial trackers, validated in one place; Spring maps
 * {@code ctracker.partial.*} (and {@code ctracker.locality.random-share}) onto it. Durations are
 * in milliseconds.
 *
 * @param replicas          leaf-set neighbours that keep a copy of each full list besides its root
 * @param publishDelayMillis changes wait this long to be batched and coalesced per next hop
 * @param replicateDelayMillis a root's changes wait this long to share one message per replica (the replicas only
 *                          answer lookups that pass them, and take over when the root fails; of what a failed root
 *                          had not passed on, new peers come back with their origins' next refresh)
 * @param refreshDelayMillis refreshes (re-announces that changed nothing) wait up to this long, and ride along with
 *                          the next batch to the same node
 * @param lookupDelayMillis lookups and answers wait this long to share a message per next hop
 * @param budgetMillis      an announce that waits for other nodes' peers is answered after at most this long
 * @param cacheTtlMillis    a lookup's answer is reused for this long before the swarm is looked up again
 * @param emptyCacheTtlMillis an empty answer is reused only this long (a smaller than asked one in proportion up to the
 *                          cache TTL): a new or growing swarm is looked up again soon
 * @param staleTtlMillis    an older answer still serves re-announces and announces the node can answer itself,
 *                          up to this age (then it is dropped); its records are handed out only until they expire
 * @param lookupTimeoutMillis a lookup without any answer is given up after this long
 * @param cachePeers        peers a lookup's answer carries (at least the numwant asked), kept per swarm
 * @param pathPeers         records a node on a swarm's publish route keeps (its partial list)
 * @param maxCacheSwarms    swarms whose answers are cached
 * @param maxPendingLookups lookups in flight at once (more are answered with what the node has)
 * @param maxQueuedChanges  local changes waiting to be published (more are dropped and picked up by the next refresh)
 * @param refreshPeriodMillis re-announced peers are republished this often, so other nodes' copies do not expire (those
 *                          live one peer TTL plus this period after the announce they came from)
 * @param sweepPeriodMillis expired held records are freed this often
 * @param rebalanceDelayMillis after a leaf-set change, responsibility for swarms is checked this much later
 * @param digestPeriodMillis the root compares its changed lists with its replicas this often
 * @param maxHops           tracker messages travelling further are dropped (loop guard)
 * @param randomShare       share of each answer taken from peers announced elsewhere (no islands), 0..1
 */
public record PartialConfig(
        int replicas,
        long publishDelayMillis,
        long replicateDelayMillis,
        long refreshDelayMillis,
        long lookupDelayMillis,
        long budgetMillis,
        long cacheTtlMillis,
        long emptyCacheTtlMillis,
        long staleTtlMillis,
        long lookupTimeoutMillis,
        int cachePeers,
        int pathPeers,
        int maxCacheSwarms,
        int maxPendingLookups,
        int maxQueuedChanges,
        long refreshPeriodMillis,
        long sweepPeriodMillis,
        long rebalanceDelayMillis,
        long digestPeriodMillis,
        int maxHops,
        double randomShare) {

    public PartialConfig {
        require(replicas >= 0 && replicas <= 8, "replicas must be 0..8");
        require(publishDelayMillis >= 0 && replicateDelayMillis >= 0 && refreshDelayMillis >= 0 && lookupDelayMillis >= 0,
                "delays must be >= 0");
        require(budgetMillis >= 0, "budget must be >= 0");
        require(cacheTtlMillis > 0 && staleTtlMillis >= cacheTtlMillis, "need 0 < cache TTL <= stale TTL");
        require(emptyCacheTtlMillis > 0 && emptyCacheTtlMillis <= cacheTtlMillis, "need 0 < empty-cache TTL <= cache TTL");
        require(lookupTimeoutMillis > 0, "lookup timeout must be positive");
        require(cachePeers >= 1 && cachePeers <= TrackerCodec.MAX_NUMWANT, "cache peers must be 1.." + TrackerCodec.MAX_NUMWANT);
        require(pathPeers >= 1, "path peers must be positive");
        require(maxCacheSwarms >= 1 && maxPendingLookups >= 1 && maxQueuedChanges >= 1, "sizes must be positive");
        require(refreshPeriodMillis > 0 && sweepPeriodMillis > 0 && rebalanceDelayMillis >= 0 && digestPeriodMillis > 0,
                "periods must be positive");
        require(maxHops >= 1 && maxHops <= TrackerCodec.MAX_HOPS, "max hops must be 1.." + TrackerCodec.MAX_HOPS);
        require(randomShare >= 0 && randomShare <= 1, "random share must be within 0..1");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults for a node whose clients re-announce every {@code intervalMillis}. */
    public static PartialConfig defaults(long intervalMillis) {
        return builder(intervalMillis).build();
    }

    /** A builder holding the defaults for a node whose clients re-announce every {@code intervalMillis}. */
    public static Builder builder(long intervalMillis) {
        Builder b = new Builder();
        b.staleTtlMillis = Math.max(b.cacheTtlMillis, 2 * intervalMillis);
        b.refreshPeriodMillis = Math.max(1_000, intervalMillis);
        b.refreshDelayMillis = defaultRefreshDelayMillis(b.refreshPeriodMillis);
        return b;
    }

    /**
     * The refresh delay when none is set: a quarter of the refresh period. A refresh waits up to
     * this at the origin, at every hop and at the root on its way to the replicas, and has about one
     * interval before the copy it renews expires: four waits fit, a route of up to three hops. Longer
     * routes (clusters of thousands of nodes) need a shorter delay; a minute fits 29 hops but cost
     * 1.96 messages per announce against 1.40 in the 200-node simulation.
     */
    public static long defaultRefreshDelayMillis(long refreshPeriodMillis) {
        return refreshPeriodMillis / 4;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.replicas = replicas;
        b.publishDelayMillis = publishDelayMillis;
        b.replicateDelayMillis = replicateDelayMillis;
        b.refreshDelayMillis = refreshDelayMillis;
        b.lookupDelayMillis = lookupDelayMillis;
        b.budgetMillis = budgetMillis;
        b.cacheTtlMillis = cacheTtlMillis;
        b.emptyCacheTtlMillis = emptyCacheTtlMillis;
        b.staleTtlMillis = staleTtlMillis;
        b.lookupTimeoutMillis = lookupTimeoutMillis;
        b.cachePeers = cachePeers;
        b.pathPeers = pathPeers;
        b.maxCacheSwarms = maxCacheSwarms;
        b.maxPendingLookups = maxPendingLookups;
        b.maxQueuedChanges = maxQueuedChanges;
        b.refreshPeriodMillis = refreshPeriodMillis;
        b.sweepPeriodMillis = sweepPeriodMillis;
        b.rebalanceDelayMillis = rebalanceDelayMillis;
        b.digestPeriodMillis = digestPeriodMillis;
        b.maxHops = maxHops;
        b.randomShare = randomShare;
        return b;
    }

    /** Mutable builder; each default is defined here, once. */
    public static final class Builder {
        private int replicas = 3;
        private long publishDelayMillis = 100;
        private long replicateDelayMillis = 1_000;
        private long refreshDelayMillis = 450_000;
        private long lookupDelayMillis = 5;
        private long budgetMillis = 100;
        private long cacheTtlMillis = 30_000;
        private long emptyCacheTtlMillis = 2_000;
        private long staleTtlMillis = 60 * 60_000;
        private long lookupTimeoutMillis = 3_000;
        private int cachePeers = 100;
        private int pathPeers = 100;
        private int maxCacheSwarms = 100_000;
        private int maxPendingLookups = 10_000;
        private int maxQueuedChanges = 100_000;
        private long refreshPeriodMillis = 30 * 60_000;
        private long sweepPeriodMillis = 30_000;
        private long rebalanceDelayMillis = 1_000;
        private long digestPeriodMillis = 300_000;
        private int maxHops = 32;
        private double randomShare = 0.2;

        public Builder replicas(int v) { replicas = v; return this; }
        public Builder publishDelayMillis(long v) { publishDelayMillis = v; return this; }
        public Builder replicateDelayMillis(long v) { replicateDelayMillis = v; return this; }
        public Builder refreshDelayMillis(long v) { refreshDelayMillis = v; return this; }
        public Builder lookupDelayMillis(long v) { lookupDelayMillis = v; return this; }
        public Builder budgetMillis(long v) { budgetMillis = v; return this; }
        public Builder cacheTtlMillis(long v) { cacheTtlMillis = v; return this; }
        public Builder emptyCacheTtlMillis(long v) { emptyCacheTtlMillis = v; return this; }
        public Builder staleTtlMillis(long v) { staleTtlMillis = v; return this; }
        public Builder lookupTimeoutMillis(long v) { lookupTimeoutMillis = v; return this; }
        public Builder cachePeers(int v) { cachePeers = v; return this; }
        public Builder pathPeers(int v) { pathPeers = v; return this; }
        public Builder maxCacheSwarms(int v) { maxCacheSwarms = v; return this; }
        public Builder maxPendingLookups(int v) { maxPendingLookups = v; return this; }
        public Builder maxQueuedChanges(int v) { maxQueuedChanges = v; return this; }
        public Builder refreshPeriodMillis(long v) { refreshPeriodMillis = v; return this; }
        public Builder sweepPeriodMillis(long v) { sweepPeriodMillis = v; return this; }
        public Builder rebalanceDelayMillis(long v) { rebalanceDelayMillis = v; return this; }
        public Builder digestPeriodMillis(long v) { digestPeriodMillis = v; return this; }
        public Builder maxHops(int v) { maxHops = v; return this; }
        public Builder randomShare(double v) { randomShare = v; return this; }

        public PartialConfig build() {
            return new PartialConfig(replicas, publishDelayMillis, replicateDelayMillis, refreshDelayMillis, lookupDelayMillis, budgetMillis, cacheTtlMillis,
                    emptyCacheTtlMillis, staleTtlMillis, lookupTimeoutMillis, cachePeers, pathPeers, maxCacheSwarms, maxPendingLookups,
                    maxQueuedChanges, refreshPeriodMillis, sweepPeriodMillis, rebalanceDelayMillis, digestPeriodMillis,
                    maxHops, randomShare);
        }
    }
}
