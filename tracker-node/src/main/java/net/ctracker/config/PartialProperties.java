package net.ctracker.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import net.ctracker.partial.PartialConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The partial trackers ({@code ctracker.partial.*}): how a node shares its swarms with the cluster.
 * {@link #toConfig} maps them, with {@code ctracker.locality.random-share}, onto the core's
 * {@link PartialConfig}; docs/distributed.md explains each.
 *
 * @param staleTtl      unset: two announce intervals (the peer TTL)
 * @param refreshPeriod unset: half an announce interval
 */
@Validated
@ConfigurationProperties("ctracker.partial")
public record PartialProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") @Min(0) @Max(8) int replicas,
        @DefaultValue("100ms") @NotNull Duration publishDelay,
        @DefaultValue("60s") @NotNull Duration refreshDelay,
        @DefaultValue("5ms") @NotNull Duration lookupDelay,
        @DefaultValue("100ms") @NotNull Duration budget,
        @DefaultValue("30s") @NotNull Duration cacheTtl,
        Duration staleTtl,
        @DefaultValue("3s") @NotNull Duration lookupTimeout,
        @DefaultValue("100") @Min(1) @Max(1000) int cachePeers,
        @DefaultValue("100") @Min(1) @Max(10000) int pathPeers,
        @DefaultValue("100000") @Min(1) int maxCacheSwarms,
        @DefaultValue("10000") @Min(1) int maxPendingLookups,
        @DefaultValue("100000") @Min(1) int maxQueuedChanges,
        Duration refreshPeriod,
        @DefaultValue("30s") @NotNull Duration sweepPeriod,
        @DefaultValue("1s") @NotNull Duration rebalanceDelay,
        @DefaultValue("5m") @NotNull Duration digestPeriod) {

    public PartialProperties {
        for (Duration d : new Duration[] {publishDelay, refreshDelay, lookupDelay, budget, rebalanceDelay}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("ctracker.partial delays must not be negative");
            }
        }
        for (Duration d : new Duration[] {cacheTtl, lookupTimeout, sweepPeriod, digestPeriod}) {
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException("ctracker.partial.cache-ttl, lookup-timeout, sweep-period and digest-period must be positive");
            }
        }
        if (staleTtl != null && staleTtl.compareTo(cacheTtl) < 0) {
            throw new IllegalArgumentException("ctracker.partial.stale-ttl must be at least ctracker.partial.cache-ttl");
        }
        if (refreshPeriod != null && refreshPeriod.toMillis() < 1) {
            throw new IllegalArgumentException("ctracker.partial.refresh-period must be positive");
        }
    }

    /** The core's settings for clients that re-announce every {@code interval}, with the random share of each answer. */
    public PartialConfig toConfig(Duration interval, double randomShare) {
        PartialConfig.Builder b = PartialConfig.builder(interval.toMillis())
                .replicas(replicas)
                .publishDelayMillis(publishDelay.toMillis())
                .refreshDelayMillis(refreshDelay.toMillis())
                .lookupDelayMillis(lookupDelay.toMillis())
                .budgetMillis(budget.toMillis())
                .cacheTtlMillis(cacheTtl.toMillis())
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
        return b.build();
    }
}
