package net.ctracker.config;

import java.time.Duration;

import net.ctracker.partial.PartialConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The partial trackers ({@code ctracker.partial.*}): how a node shares its swarms with the cluster.
 * {@link #toConfig} maps them, with {@code ctracker.locality.random-share}, onto the core's
 * {@link PartialConfig}; docs/distributed.md explains each.
 *
 * @param emptyCacheTtl unset: 2s, or the cache TTL if that is shorter
 * @param staleTtl      unset: two announce intervals (the peer TTL)
 * @param refreshPeriod unset: one announce interval
 * @param refreshDelay  unset: a quarter of the refresh period
 */
@Validated
@ConfigurationProperties("ctracker.partial")
public record PartialProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") int replicas,
        @DefaultValue("100ms") Duration publishDelay,
        Duration refreshDelay,
        @DefaultValue("5ms") Duration lookupDelay,
        @DefaultValue("100ms") Duration budget,
        @DefaultValue("30s") Duration cacheTtl,
        Duration emptyCacheTtl,
        Duration staleTtl,
        @DefaultValue("3s") Duration lookupTimeout,
        @DefaultValue("100") int cachePeers,
        @DefaultValue("100") int pathPeers,
        @DefaultValue("100000") int maxCacheSwarms,
        @DefaultValue("10000") int maxPendingLookups,
        @DefaultValue("100000") int maxQueuedChanges,
        Duration refreshPeriod,
        @DefaultValue("30s") Duration sweepPeriod,
        @DefaultValue("1s") Duration rebalanceDelay,
        @DefaultValue("5m") Duration digestPeriod,
        @DefaultValue("1s") Duration replicateDelay) {

    private static final String P = "ctracker.partial.";

    public PartialProperties {
        PropertyChecks.inRange(P + "replicas", replicas, 0, 8);
        PropertyChecks.inRange(P + "cache-peers", cachePeers, 1, 1000);
        PropertyChecks.inRange(P + "path-peers", pathPeers, 1, 10_000);
        PropertyChecks.atLeast(P + "max-cache-swarms", maxCacheSwarms, 1);
        PropertyChecks.atLeast(P + "max-pending-lookups", maxPendingLookups, 1);
        PropertyChecks.atLeast(P + "max-queued-changes", maxQueuedChanges, 1);
        notNegative(P + "publish-delay", publishDelay);
        notNegative(P + "replicate-delay", replicateDelay);
        if (refreshDelay != null) {
            notNegative(P + "refresh-delay", refreshDelay);
        }
        notNegative(P + "lookup-delay", lookupDelay);
        notNegative(P + "budget", budget);
        notNegative(P + "rebalance-delay", rebalanceDelay);
        PropertyChecks.positive(P + "cache-ttl", cacheTtl);
        if (emptyCacheTtl != null) {
            PropertyChecks.positive(P + "empty-cache-ttl", emptyCacheTtl);
            PropertyChecks.require(emptyCacheTtl.compareTo(cacheTtl) <= 0,
                    P + "empty-cache-ttl must be at most " + P + "cache-ttl (" + cacheTtl + "), not " + emptyCacheTtl);
        }
        PropertyChecks.positive(P + "lookup-timeout", lookupTimeout);
        PropertyChecks.positive(P + "sweep-period", sweepPeriod);
        PropertyChecks.positive(P + "digest-period", digestPeriod);
        PropertyChecks.require(staleTtl == null || staleTtl.compareTo(cacheTtl) >= 0,
                P + "stale-ttl must be at least " + P + "cache-ttl (" + cacheTtl + "), not " + staleTtl);
        PropertyChecks.require(refreshPeriod == null || refreshPeriod.toMillis() >= 1,
                P + "refresh-period must be positive, not " + refreshPeriod);
    }

    private static void notNegative(String property, Duration d) {
        PropertyChecks.set(property, d);
        PropertyChecks.require(!d.isNegative(), property + " must not be negative, not " + d);
    }

    /** The core's settings for clients that re-announce every {@code interval}, with the random share of each answer. */
    public PartialConfig toConfig(Duration interval, double randomShare) {
        PartialConfig.Builder b = PartialConfig.builder(interval.toMillis())
                .replicas(replicas)
                .publishDelayMillis(publishDelay.toMillis())
                .replicateDelayMillis(replicateDelay.toMillis())
                .lookupDelayMillis(lookupDelay.toMillis())
                .budgetMillis(budget.toMillis())
                .cacheTtlMillis(cacheTtl.toMillis())
                .emptyCacheTtlMillis(emptyCacheTtl != null ? emptyCacheTtl.toMillis() : Math.min(2_000, cacheTtl.toMillis()))
                .lookupTimeoutMillis(lookupTimeout.toMillis())
                .cachePeers(cachePeers)
                .pathPeers(pathPeers)
                .maxCacheSwarms(maxCacheSwarms)
                .maxPendingLookups(maxPendingLookups)
                .maxQueuedChanges(maxQueuedChanges)
                .sweepPeriodMillis(sweepPeriod.toMillis())
                .rebalanceDelayMillis(rebalanceDelay.toMillis())
                .digestPeriodMillis(digestPeriod.toMillis())
                .randomShare(randomShare);
        b.staleTtlMillis(staleTtl != null ? staleTtl.toMillis() : Math.max(cacheTtl.toMillis(), 2 * interval.toMillis()));
        if (refreshPeriod != null) {
            b.refreshPeriodMillis(refreshPeriod.toMillis());
        }
        if (refreshDelay != null) {
            b.refreshDelayMillis(refreshDelay.toMillis());
        } else if (refreshPeriod != null) {
            b.refreshDelayMillis(PartialConfig.defaultRefreshDelayMillis(refreshPeriod.toMillis()));
        }
        return b.build();
    }
}
