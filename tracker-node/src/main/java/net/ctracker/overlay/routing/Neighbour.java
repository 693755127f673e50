package net.ctracker.overlay.routing;

/**
 * What a node knows about one live neighbour: its handle, an RTT estimate, a link quality (an
 * exponentially weighted share of messages acknowledged, 1.0 = no loss seen) and when it was last
 * heard from. One instance per neighbour, shared by the leaf set and the routing table so both see
 * the same measurements. Event-loop state: not thread-safe.
 */
public final class Neighbour {

    private final NodeHandle handle;
    private final RttEstimator rtt;
    private final double qualityWeight;
    private double quality = 1.0;
    private long lastHeardMillis;

    public Neighbour(NodeHandle handle, RttEstimator rtt, double qualityWeight, long nowMillis) {
        this.handle = handle;
        this.rtt = rtt;
        this.qualityWeight = qualityWeight;
        this.lastHeardMillis = nowMillis;
    }

    public NodeHandle handle() {
        return handle;
    }

    public NodeKey key() {
        return handle.key();
    }

    public RttEstimator rtt() {
        return rtt;
    }

    /** Smoothed RTT, or {@link Double#MAX_VALUE} when unmeasured (so measured links sort first). */
    public double rttForRanking() {
        return rtt.hasSample() ? rtt.srttMillis() : Double.MAX_VALUE;
    }

    public double quality() {
        return quality;
    }

    public long lastHeardMillis() {
        return lastHeardMillis;
    }

    public void heard(long nowMillis) {
        lastHeardMillis = Math.max(lastHeardMillis, nowMillis);
    }

    public void acknowledged(long nowMillis, double rttMillis) {
        rtt.sample(rttMillis);
        quality = (1 - qualityWeight) * quality + qualityWeight;
        heard(nowMillis);
    }

    public void unacknowledged() {
        quality = (1 - qualityWeight) * quality;
    }

    @Override
    public String toString() {
        return handle.toString();
    }
}
