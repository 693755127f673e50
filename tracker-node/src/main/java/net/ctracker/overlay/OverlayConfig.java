package net.ctracker.overlay;

import java.util.Objects;

import net.ctracker.overlay.message.MessageCodec;

/**
 * Every tunable of the overlay, validated in one place, in one section per protocol. Spring
 * configuration maps onto it ({@code config.OverlayProperties#overlayConfig}); the simulator builds
 * it directly. The defaults are defined once, in {@link Builder}: the design brief's, except where
 * docs/overlay.md says why not. Durations are in milliseconds.
 *
 * <p>The flat {@link Builder} setters ({@code builder().pingPeriodMillis(...)}) set one field of
 * whichever section holds it; read a value through its section ({@code config.pings().pingPeriodMillis()}).
 *
 * @param tables the neighbour tables (Neighbourhood, RoutingProtocol)
 * @param timeouts acknowledgement timeouts (Sender, RttEstimator)
 * @param pings liveness pings (PingProtocol)
 * @param failures failure detection (FailureDetector) and the grace period a failed key is refused for
 * @param obituaries death notices (ObituaryProtocol)
 * @param leafSets leaf-set maintenance (LeafSetProtocol)
 * @param routeSets route-set maintenance (RouteSetProtocol)
 * @param joins joining (JoinProtocol)
 * @param discovery probing and admission, and the memories of removed and probed nodes (DiscoveryProtocol)
 * @param routing routing (RoutingProtocol)
 * @param lookups lookups (LookupProtocol)
 * @param snapshotPeriodMillis publish the read-only snapshot at most this often (0: only on request)
 */
public record OverlayConfig(
        Tables tables,
        Timeouts timeouts,
        Pings pings,
        Failures failures,
        Obituaries obituaries,
        LeafSets leafSets,
        RouteSets routeSets,
        Joins joins,
        Discovery discovery,
        Routing routing,
        Lookups lookups,
        long snapshotPeriodMillis) {

    public static final int MAX_LEAF_SET_SIZE = 64;

    public OverlayConfig {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(pings, "pings");
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(obituaries, "obituaries");
        Objects.requireNonNull(leafSets, "leafSets");
        Objects.requireNonNull(routeSets, "routeSets");
        Objects.requireNonNull(joins, "joins");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(lookups, "lookups");
        require(pings.watchedLeaves() <= tables.leafSetSize() / 2, "watchedLeaves must be 1..leafSetSize/2");
        require(snapshotPeriodMillis >= 0, "snapshotPeriodMillis must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Settings of the neighbour tables (Neighbourhood, RoutingProtocol).
     *
     * @param leafSetSize leaf set size, half on each side (even, 2..64)
     * @param cellCapacity routing-table entries per cell
     * @param proximity proximity neighbour selection: a full cell admits a candidate only if it has a lower RTT than the worst entry
     * @param linkQualityWeight weight of one outcome in the link-quality average
     * @param linkQualityStep link qualities within one step count as equal when choosing a next hop
     */
    public record Tables(int leafSetSize, int cellCapacity, boolean proximity, double linkQualityWeight, double linkQualityStep) {
        public Tables {
            require(leafSetSize >= 2 && leafSetSize <= MAX_LEAF_SET_SIZE && leafSetSize % 2 == 0, "leafSetSize must be even, 2.." + MAX_LEAF_SET_SIZE);
            require(cellCapacity >= 1 && cellCapacity * 16 < MessageCodec.MAX_HANDLES, "cellCapacity out of range");
            require(linkQualityWeight > 0 && linkQualityWeight <= 1, "linkQualityWeight must be in (0, 1]");
            require(linkQualityStep > 0 && linkQualityStep <= 1, "linkQualityStep must be in (0, 1]");
        }
    }

    /**
     * Settings of acknowledgement timeouts (Sender, RttEstimator).
     *
     * @param minRtoMillis lower bound of the adaptive ack timeout
     * @param maxRtoMillis upper bound of the adaptive ack timeout
     * @param rtoMarginMillis least allowance above the smoothed RTT in the ack timeout (RFC 6298's G)
     * @param initialRtoMillis ack timeout towards a node without RTT samples
     */
    public record Timeouts(long minRtoMillis, long maxRtoMillis, long rtoMarginMillis, long initialRtoMillis) {
        public Timeouts {
            require(minRtoMillis > 0 && minRtoMillis <= initialRtoMillis && initialRtoMillis <= maxRtoMillis, "need 0 < minRto <= initialRto <= maxRto");
            require(rtoMarginMillis >= 0, "rtoMarginMillis must be >= 0");
        }
    }

    /**
     * Settings of liveness pings (PingProtocol).
     *
     * @param pingPeriodMillis ping the {@code watchedLeaves} nearest leaf-set members on each side when not heard from within this period
     * @param watchedLeaves leaf-set members on each side pinged every {@code pingPeriodMillis} (they decide which keys this node is root of)
     * @param tablePingPeriodMillis ping other leaf-set members and routing-table entries not heard from within this period
     */
    public record Pings(long pingPeriodMillis, int watchedLeaves, long tablePingPeriodMillis) {
        public Pings {
            require(pingPeriodMillis > 0 && tablePingPeriodMillis > 0, "periods must be positive");
            require(watchedLeaves >= 1, "watchedLeaves must be >= 1");
        }
    }

    /**
     * Settings of failure detection (FailureDetector) and the grace period a failed key is refused for.
     *
     * @param failureProbes re-probes (with doubling timeouts) before a neighbour that missed an acknowledgement is removed; 0 = at once
     * @param gracePeriodMillis a key seen failing is refused (JOIN_NACK) and not re-admitted from gossip for this long
     */
    public record Failures(int failureProbes, long gracePeriodMillis) {
        public Failures {
            require(failureProbes >= 0, "failureProbes must be >= 0");
            require(gracePeriodMillis >= 0, "gracePeriodMillis must be >= 0");
        }
    }

    /**
     * Settings of death notices (ObituaryProtocol).
     *
     * @param obituarySends PINGs that carry the notice of each failed or departed node this node learns of (0 = off)
     * @param obituaryPushFanout random neighbours sent a PING at once when this node learns of a death (0 = wait for scheduled PINGs)
     * @param obituaryPushGapMillis least time between two such pushes (news in between goes with the next push)
     */
    public record Obituaries(int obituarySends, int obituaryPushFanout, long obituaryPushGapMillis) {
        public Obituaries {
            require(obituarySends >= 0 && obituaryPushFanout >= 0 && obituaryPushGapMillis >= 0, "obituarySends, obituaryPushFanout and obituaryPushGapMillis must be >= 0");
        }
    }

    /**
     * Settings of leaf-set maintenance (LeafSetProtocol).
     *
     * @param leafExchangePeriodMillis exchange leaf sets with one random member on each side
     */
    public record LeafSets(long leafExchangePeriodMillis) {
        public LeafSets {
            require(leafExchangePeriodMillis > 0, "periods must be positive");
        }
    }

    /**
     * Settings of route-set maintenance (RouteSetProtocol).
     *
     * @param rowExchangePeriodMillis exchange every non-empty routing-table row, alternately with a random entry of that row and with the nearest node sharing at least that many digits
     * @param rowExchangeMaxBackoff while the table stops improving, row exchanges run only every 2, 4, ... up to this many periods (1 = every period)
     * @param rowSweepAfterJoin shortly after joining, exchange each row once with every entry of that row (about 250 messages a join at N = 1,000)
     */
    public record RouteSets(long rowExchangePeriodMillis, int rowExchangeMaxBackoff, boolean rowSweepAfterJoin) {
        public RouteSets {
            require(rowExchangePeriodMillis > 0, "periods must be positive");
            require(rowExchangeMaxBackoff >= 1, "rowExchangeMaxBackoff must be >= 1");
        }
    }

    /**
     * Settings of joining (JoinProtocol).
     *
     * @param joinRetryMillis delay before retrying a join after a refusal or failure
     * @param joinTimeoutMillis a join without JOIN_ACK within this time is retried via the next bootstrap address
     */
    public record Joins(long joinRetryMillis, long joinTimeoutMillis) {
        public Joins {
            require(joinRetryMillis > 0 && joinTimeoutMillis > 0, "join delays must be positive");
        }
    }

    /**
     * Settings of probing and admission, and the memories of removed and probed nodes (DiscoveryProtocol).
     *
     * @param reprobePeriodMillis re-probe a few recently removed nodes (heals partitions)
     * @param reprobeBatch removed nodes re-probed per period
     * @param removedMemoryMillis how long removed nodes (and death notices) are remembered
     * @param maxRemembered most removed nodes (and death notices) remembered
     * @param probeMemoryMillis a candidate probed and found not useful is not probed again for this long
     * @param maxProbeMemory most such candidates remembered
     */
    public record Discovery(long reprobePeriodMillis, int reprobeBatch, long removedMemoryMillis, int maxRemembered, long probeMemoryMillis, int maxProbeMemory) {
        public Discovery {
            require(reprobePeriodMillis > 0, "periods must be positive");
            require(reprobeBatch >= 0 && maxRemembered >= 0 && maxProbeMemory >= 0, "sizes must be >= 0");
            require(removedMemoryMillis >= 0 && probeMemoryMillis >= 0, "memories must be >= 0");
        }
    }

    /**
     * Settings of routing (RoutingProtocol).
     *
     * @param maxHops routed messages are dropped beyond this many hops (loop guard)
     * @param maxRouteAttempts next hops tried for one routed message when hops fail
     */
    public record Routing(int maxHops, int maxRouteAttempts) {
        public Routing {
            require(maxHops >= 1 && maxHops < MessageCodec.MAX_PATH, "maxHops must be 1.." + (MessageCodec.MAX_PATH - 1));
            require(maxRouteAttempts >= 1, "maxRouteAttempts must be >= 1");
        }
    }

    /**
     * Settings of lookups (LookupProtocol).
     *
     * @param lookupTimeoutMillis a lookup without reply fails after this long
     */
    public record Lookups(long lookupTimeoutMillis) {
        public Lookups {
            require(lookupTimeoutMillis > 0, "lookupTimeoutMillis must be positive");
        }
    }

    /** The defaults (the design brief's, except where docs/overlay.md says why not). */
    public static OverlayConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.leafSetSize = tables.leafSetSize();
        b.cellCapacity = tables.cellCapacity();
        b.proximity = tables.proximity();
        b.linkQualityWeight = tables.linkQualityWeight();
        b.linkQualityStep = tables.linkQualityStep();
        b.minRtoMillis = timeouts.minRtoMillis();
        b.maxRtoMillis = timeouts.maxRtoMillis();
        b.rtoMarginMillis = timeouts.rtoMarginMillis();
        b.initialRtoMillis = timeouts.initialRtoMillis();
        b.pingPeriodMillis = pings.pingPeriodMillis();
        b.watchedLeaves = pings.watchedLeaves();
        b.tablePingPeriodMillis = pings.tablePingPeriodMillis();
        b.failureProbes = failures.failureProbes();
        b.gracePeriodMillis = failures.gracePeriodMillis();
        b.obituarySends = obituaries.obituarySends();
        b.obituaryPushFanout = obituaries.obituaryPushFanout();
        b.obituaryPushGapMillis = obituaries.obituaryPushGapMillis();
        b.leafExchangePeriodMillis = leafSets.leafExchangePeriodMillis();
        b.rowExchangePeriodMillis = routeSets.rowExchangePeriodMillis();
        b.rowExchangeMaxBackoff = routeSets.rowExchangeMaxBackoff();
        b.rowSweepAfterJoin = routeSets.rowSweepAfterJoin();
        b.joinRetryMillis = joins.joinRetryMillis();
        b.joinTimeoutMillis = joins.joinTimeoutMillis();
        b.reprobePeriodMillis = discovery.reprobePeriodMillis();
        b.reprobeBatch = discovery.reprobeBatch();
        b.removedMemoryMillis = discovery.removedMemoryMillis();
        b.maxRemembered = discovery.maxRemembered();
        b.probeMemoryMillis = discovery.probeMemoryMillis();
        b.maxProbeMemory = discovery.maxProbeMemory();
        b.maxHops = routing.maxHops();
        b.maxRouteAttempts = routing.maxRouteAttempts();
        b.lookupTimeoutMillis = lookups.lookupTimeoutMillis();
        b.snapshotPeriodMillis = snapshotPeriodMillis;
        return b;
    }

    /** Mutable builder holding the defaults, the only place they are defined. */
    public static final class Builder {
        private int leafSetSize = 16;
        private int cellCapacity = 3;
        private boolean proximity = true;
        private double linkQualityWeight = 0.2;
        private double linkQualityStep = 0.25;
        private long minRtoMillis = 100;
        private long maxRtoMillis = 5_000;
        private long rtoMarginMillis = 50;
        private long initialRtoMillis = 1_000;
        private long pingPeriodMillis = 20_000;
        private int watchedLeaves = 2;
        private long tablePingPeriodMillis = 300_000;
        private int failureProbes = 2;
        private long gracePeriodMillis = 30_000;
        private int obituarySends = 20;
        private int obituaryPushFanout = 2;
        private long obituaryPushGapMillis = 5_000;
        private long leafExchangePeriodMillis = 60_000;
        private long rowExchangePeriodMillis = 60_000;
        private int rowExchangeMaxBackoff = 8;
        private boolean rowSweepAfterJoin = true;
        private long joinRetryMillis = 2_000;
        private long joinTimeoutMillis = 10_000;
        private long reprobePeriodMillis = 30_000;
        private int reprobeBatch = 3;
        private long removedMemoryMillis = 30 * 60_000;
        private int maxRemembered = 256;
        private long probeMemoryMillis = 10 * 60_000;
        private int maxProbeMemory = 512;
        private int maxHops = 32;
        private int maxRouteAttempts = 4;
        private long lookupTimeoutMillis = 10_000;
        private long snapshotPeriodMillis = 1_000;

        public Builder leafSetSize(int v) { leafSetSize = v; return this; }
        public Builder cellCapacity(int v) { cellCapacity = v; return this; }
        public Builder proximity(boolean v) { proximity = v; return this; }
        public Builder linkQualityWeight(double v) { linkQualityWeight = v; return this; }
        public Builder linkQualityStep(double v) { linkQualityStep = v; return this; }
        public Builder minRtoMillis(long v) { minRtoMillis = v; return this; }
        public Builder maxRtoMillis(long v) { maxRtoMillis = v; return this; }
        public Builder rtoMarginMillis(long v) { rtoMarginMillis = v; return this; }
        public Builder initialRtoMillis(long v) { initialRtoMillis = v; return this; }
        public Builder pingPeriodMillis(long v) { pingPeriodMillis = v; return this; }
        public Builder watchedLeaves(int v) { watchedLeaves = v; return this; }
        public Builder tablePingPeriodMillis(long v) { tablePingPeriodMillis = v; return this; }
        public Builder failureProbes(int v) { failureProbes = v; return this; }
        public Builder gracePeriodMillis(long v) { gracePeriodMillis = v; return this; }
        public Builder obituarySends(int v) { obituarySends = v; return this; }
        public Builder obituaryPushFanout(int v) { obituaryPushFanout = v; return this; }
        public Builder obituaryPushGapMillis(long v) { obituaryPushGapMillis = v; return this; }
        public Builder leafExchangePeriodMillis(long v) { leafExchangePeriodMillis = v; return this; }
        public Builder rowExchangePeriodMillis(long v) { rowExchangePeriodMillis = v; return this; }
        public Builder rowExchangeMaxBackoff(int v) { rowExchangeMaxBackoff = v; return this; }
        public Builder rowSweepAfterJoin(boolean v) { rowSweepAfterJoin = v; return this; }
        public Builder joinRetryMillis(long v) { joinRetryMillis = v; return this; }
        public Builder joinTimeoutMillis(long v) { joinTimeoutMillis = v; return this; }
        public Builder reprobePeriodMillis(long v) { reprobePeriodMillis = v; return this; }
        public Builder reprobeBatch(int v) { reprobeBatch = v; return this; }
        public Builder removedMemoryMillis(long v) { removedMemoryMillis = v; return this; }
        public Builder maxRemembered(int v) { maxRemembered = v; return this; }
        public Builder probeMemoryMillis(long v) { probeMemoryMillis = v; return this; }
        public Builder maxProbeMemory(int v) { maxProbeMemory = v; return this; }
        public Builder maxHops(int v) { maxHops = v; return this; }
        public Builder maxRouteAttempts(int v) { maxRouteAttempts = v; return this; }
        public Builder lookupTimeoutMillis(long v) { lookupTimeoutMillis = v; return this; }
        public Builder snapshotPeriodMillis(long v) { snapshotPeriodMillis = v; return this; }

        public OverlayConfig build() {
            return new OverlayConfig(
                    new Tables(leafSetSize, cellCapacity, proximity, linkQualityWeight, linkQualityStep),
                    new Timeouts(minRtoMillis, maxRtoMillis, rtoMarginMillis, initialRtoMillis),
                    new Pings(pingPeriodMillis, watchedLeaves, tablePingPeriodMillis),
                    new Failures(failureProbes, gracePeriodMillis),
                    new Obituaries(obituarySends, obituaryPushFanout, obituaryPushGapMillis),
                    new LeafSets(leafExchangePeriodMillis),
                    new RouteSets(rowExchangePeriodMillis, rowExchangeMaxBackoff, rowSweepAfterJoin),
                    new Joins(joinRetryMillis, joinTimeoutMillis),
                    new Discovery(reprobePeriodMillis, reprobeBatch, removedMemoryMillis, maxRemembered, probeMemoryMillis, maxProbeMemory),
                    new Routing(maxHops, maxRouteAttempts),
                    new Lookups(lookupTimeoutMillis),
                    snapshotPeriodMillis);
        }
    }
}
