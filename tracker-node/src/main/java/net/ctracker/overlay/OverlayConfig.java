package net.ctracker.overlay;

import net.ctracker.overlay.message.MessageCodec;

/**
 * Every tunable of the overlay, validated in one place. Spring configuration maps onto this record;
 * the simulator builds it directly. Durations are in milliseconds.
 *
 * @param leafSetSize            leaf set size, half on each side (even, 2..64)
 * @param cellCapacity           routing-table entries per cell
 * @param proximity              proximity neighbour selection: a full cell admits a candidate only if it has a lower RTT than the worst entry
 * @param pingPeriodMillis       ping the {@code watchedLeaves} nearest leaf-set members on each side when not heard from within this period
 * @param watchedLeaves          leaf-set members on each side pinged every {@code pingPeriodMillis} (they decide which keys
 *                               this node is root of); every node is watched this way by its own nearest neighbours
 * @param tablePingPeriodMillis  ping other leaf-set members and routing-table entries not heard from within this period
 * @param obituarySends          PINGs that carry the notice of each failed or departed node this node learns of
 *                               (spreads failures to every table without extra messages; 0 = off)
 * @param obituaryPushFanout     random neighbours sent a PING at once when this node learns of a death (0 = wait for scheduled PINGs)
 * @param obituaryPushGapMillis  least time between two such pushes (news in between goes with the next push)
 * @param leafExchangePeriodMillis exchange leaf sets with one random member on each side
 * @param rowExchangePeriodMillis exchange every non-empty routing-table row, alternately with a random entry of that
 *                               row and with the nearest node sharing at least that many digits
 * @param rowExchangeMaxBackoff  while the table stops improving, row exchanges run only every 2, 4, ... up to this
 *                               many periods (1 = every period)
 * @param rowSweepAfterJoin      shortly after joining, exchange each row once with every entry of that row
 *                               (more proximity candidates at once; costs about 250 messages a join at N = 1,000)
 * @param gracePeriodMillis      a key seen failing is refused (JOIN_NACK) and not re-admitted for this long
 * @param failureProbes          re-probes (with doubling timeouts) before a neighbour that missed an acknowledgement is removed; 0 = at once
 * @param minRtoMillis           lower bound of the adaptive ack timeout
 * @param maxRtoMillis           upper bound of the adaptive ack timeout
 * @param rtoMarginMillis        least allowance above the smoothed RTT in the ack timeout (RFC 6298's G)
 * @param initialRtoMillis       ack timeout towards a node without RTT samples
 * @param joinRetryMillis        delay before retrying a join after a refusal or failure
 * @param joinTimeoutMillis      a join without JOIN_ACK within this time is retried via the next bootstrap address
 * @param reprobePeriodMillis    re-probe a few recently removed nodes (heals partitions)
 * @param reprobeBatch           removed nodes re-probed per period
 * @param removedMemoryMillis    how long removed nodes are remembered for re-probing
 * @param maxRemembered          most removed nodes remembered
 * @param probeMemoryMillis      a candidate probed and found not useful is not probed again for this long
 * @param maxProbeMemory         most such candidates remembered
 * @param maxHops                routed messages are dropped beyond this many hops (loop guard)
 * @param maxRouteAttempts       next hops tried for one routed message when hops fail
 * @param lookupTimeoutMillis    a lookup without reply fails after this long
 * @param linkQualityWeight      weight of one outcome in the link-quality average
 * @param linkQualityStep        link qualities within one step count as equal when choosing a next hop
 * @param snapshotPeriodMillis   publish the read-only snapshot at most this often (0: only on request)
 */
public record OverlayConfig(
        int leafSetSize,
        int cellCapacity,
        boolean proximity,
        long pingPeriodMillis,
        int watchedLeaves,
        long tablePingPeriodMillis,
        int obituarySends,
        int obituaryPushFanout,
        long obituaryPushGapMillis,
        long leafExchangePeriodMillis,
        long rowExchangePeriodMillis,
        int rowExchangeMaxBackoff,
        boolean rowSweepAfterJoin,
        long gracePeriodMillis,
        int failureProbes,
        long minRtoMillis,
        long maxRtoMillis,
        long rtoMarginMillis,
        long initialRtoMillis,
        long joinRetryMillis,
        long joinTimeoutMillis,
        long reprobePeriodMillis,
        int reprobeBatch,
        long removedMemoryMillis,
        int maxRemembered,
        long probeMemoryMillis,
        int maxProbeMemory,
        int maxHops,
        int maxRouteAttempts,
        long lookupTimeoutMillis,
        double linkQualityWeight,
        double linkQualityStep,
        long snapshotPeriodMillis) {

    public static final int MAX_LEAF_SET_SIZE = 64;

    public OverlayConfig {
        require(leafSetSize >= 2 && leafSetSize <= MAX_LEAF_SET_SIZE && leafSetSize % 2 == 0,
                "leafSetSize must be even, 2.." + MAX_LEAF_SET_SIZE);
        require(cellCapacity >= 1 && cellCapacity * 16 < MessageCodec.MAX_HANDLES, "cellCapacity out of range");
        require(pingPeriodMillis > 0 && tablePingPeriodMillis > 0 && leafExchangePeriodMillis > 0 && rowExchangePeriodMillis > 0
                && reprobePeriodMillis > 0, "periods must be positive");
        require(watchedLeaves >= 1 && watchedLeaves <= leafSetSize / 2, "watchedLeaves must be 1..leafSetSize/2");
        require(obituarySends >= 0 && obituaryPushFanout >= 0 && obituaryPushGapMillis >= 0,
                "obituarySends, obituaryPushFanout and obituaryPushGapMillis must be >= 0");
        require(rowExchangeMaxBackoff >= 1, "rowExchangeMaxBackoff must be >= 1");
        require(gracePeriodMillis >= 0, "gracePeriodMillis must be >= 0");
        require(failureProbes >= 0, "failureProbes must be >= 0");
        require(minRtoMillis > 0 && minRtoMillis <= initialRtoMillis && initialRtoMillis <= maxRtoMillis,
                "need 0 < minRto <= initialRto <= maxRto");
        require(rtoMarginMillis >= 0, "rtoMarginMillis must be >= 0");
        require(joinRetryMillis > 0 && joinTimeoutMillis > 0, "join delays must be positive");
        require(reprobeBatch >= 0 && maxRemembered >= 0 && maxProbeMemory >= 0, "sizes must be >= 0");
        require(removedMemoryMillis >= 0 && probeMemoryMillis >= 0, "memories must be >= 0");
        require(maxHops >= 1 && maxHops < MessageCodec.MAX_PATH, "maxHops must be 1.." + (MessageCodec.MAX_PATH - 1));
        require(maxRouteAttempts >= 1, "maxRouteAttempts must be >= 1");
        require(lookupTimeoutMillis > 0, "lookupTimeoutMillis must be positive");
        require(linkQualityWeight > 0 && linkQualityWeight <= 1, "linkQualityWeight must be in (0, 1]");
        require(linkQualityStep > 0 && linkQualityStep <= 1, "linkQualityStep must be in (0, 1]");
        require(snapshotPeriodMillis >= 0, "snapshotPeriodMillis must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
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
        b.leafSetSize = leafSetSize;
        b.cellCapacity = cellCapacity;
        b.proximity = proximity;
        b.pingPeriodMillis = pingPeriodMillis;
        b.watchedLeaves = watchedLeaves;
        b.tablePingPeriodMillis = tablePingPeriodMillis;
        b.obituarySends = obituarySends;
        b.obituaryPushFanout = obituaryPushFanout;
        b.obituaryPushGapMillis = obituaryPushGapMillis;
        b.leafExchangePeriodMillis = leafExchangePeriodMillis;
        b.rowExchangePeriodMillis = rowExchangePeriodMillis;
        b.rowExchangeMaxBackoff = rowExchangeMaxBackoff;
        b.rowSweepAfterJoin = rowSweepAfterJoin;
        b.gracePeriodMillis = gracePeriodMillis;
        b.failureProbes = failureProbes;
        b.minRtoMillis = minRtoMillis;
        b.maxRtoMillis = maxRtoMillis;
        b.rtoMarginMillis = rtoMarginMillis;
        b.initialRtoMillis = initialRtoMillis;
        b.joinRetryMillis = joinRetryMillis;
        b.joinTimeoutMillis = joinTimeoutMillis;
        b.reprobePeriodMillis = reprobePeriodMillis;
        b.reprobeBatch = reprobeBatch;
        b.removedMemoryMillis = removedMemoryMillis;
        b.maxRemembered = maxRemembered;
        b.probeMemoryMillis = probeMemoryMillis;
        b.maxProbeMemory = maxProbeMemory;
        b.maxHops = maxHops;
        b.maxRouteAttempts = maxRouteAttempts;
        b.lookupTimeoutMillis = lookupTimeoutMillis;
        b.linkQualityWeight = linkQualityWeight;
        b.linkQualityStep = linkQualityStep;
        b.snapshotPeriodMillis = snapshotPeriodMillis;
        return b;
    }

    /** Mutable builder holding the defaults. */
    public static final class Builder {
        private int leafSetSize = 16;
        private int cellCapacity = 3;
        private boolean proximity = true;
        private long pingPeriodMillis = 20_000;
        private int watchedLeaves = 2;
        private long tablePingPeriodMillis = 300_000;
        private int obituarySends = 20;
        private int obituaryPushFanout = 2;
        private long obituaryPushGapMillis = 5_000;
        private long leafExchangePeriodMillis = 60_000;
        private long rowExchangePeriodMillis = 60_000;
        private int rowExchangeMaxBackoff = 8;
        private boolean rowSweepAfterJoin = true;
        private long gracePeriodMillis = 30_000;
        private int failureProbes = 2;
        private long minRtoMillis = 100;
        private long maxRtoMillis = 5_000;
        private long rtoMarginMillis = 50;
        private long initialRtoMillis = 1_000;
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
        private double linkQualityWeight = 0.2;
        private double linkQualityStep = 0.25;
        private long snapshotPeriodMillis = 1_000;

        public Builder leafSetSize(int v) { leafSetSize = v; return this; }
        public Builder cellCapacity(int v) { cellCapacity = v; return this; }
        public Builder proximity(boolean v) { proximity = v; return this; }
        public Builder pingPeriodMillis(long v) { pingPeriodMillis = v; return this; }
        public Builder watchedLeaves(int v) { watchedLeaves = v; return this; }
        public Builder tablePingPeriodMillis(long v) { tablePingPeriodMillis = v; return this; }
        public Builder obituarySends(int v) { obituarySends = v; return this; }
        public Builder obituaryPushFanout(int v) { obituaryPushFanout = v; return this; }
        public Builder obituaryPushGapMillis(long v) { obituaryPushGapMillis = v; return this; }
        public Builder rowExchangeMaxBackoff(int v) { rowExchangeMaxBackoff = v; return this; }
        public Builder leafExchangePeriodMillis(long v) { leafExchangePeriodMillis = v; return this; }
        public Builder rowExchangePeriodMillis(long v) { rowExchangePeriodMillis = v; return this; }
        public Builder rowSweepAfterJoin(boolean v) { rowSweepAfterJoin = v; return this; }
        public Builder gracePeriodMillis(long v) { gracePeriodMillis = v; return this; }
        public Builder failureProbes(int v) { failureProbes = v; return this; }
        public Builder minRtoMillis(long v) { minRtoMillis = v; return this; }
        public Builder maxRtoMillis(long v) { maxRtoMillis = v; return this; }
        public Builder rtoMarginMillis(long v) { rtoMarginMillis = v; return this; }
        public Builder initialRtoMillis(long v) { initialRtoMillis = v; return this; }
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
        public Builder linkQualityWeight(double v) { linkQualityWeight = v; return this; }
        public Builder linkQualityStep(double v) { linkQualityStep = v; return this; }
        public Builder snapshotPeriodMillis(long v) { snapshotPeriodMillis = v; return this; }

        public OverlayConfig build() {
            return new OverlayConfig(leafSetSize, cellCapacity, proximity, pingPeriodMillis, watchedLeaves,
                    tablePingPeriodMillis, obituarySends, obituaryPushFanout, obituaryPushGapMillis, leafExchangePeriodMillis, rowExchangePeriodMillis,
                    rowExchangeMaxBackoff, rowSweepAfterJoin, gracePeriodMillis,
                    failureProbes, minRtoMillis,
                    maxRtoMillis, rtoMarginMillis, initialRtoMillis, joinRetryMillis, joinTimeoutMillis, reprobePeriodMillis,
                    reprobeBatch, removedMemoryMillis, maxRemembered, probeMemoryMillis, maxProbeMemory,
                    maxHops, maxRouteAttempts, lookupTimeoutMillis, linkQualityWeight, linkQualityStep,
                    snapshotPeriodMillis);
        }
    }
}
