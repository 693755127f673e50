package net.ctracker.overlay.routing;

/**
 * Round-trip-time estimate for one link, after Jacobson and Karels (RFC 6298): a smoothed RTT, its
 * mean deviation, and a retransmission timeout {@code SRTT + max(margin, 4 RTTVAR)} clamped to
 * configured bounds. The margin plays the part of RFC 6298's clock granularity G: on a very steady
 * link RTTVAR decays towards zero, and without it the timeout would fire just as the answer arrives.
 * Until the first sample the timeout is the configured initial value. Not thread-safe (event loop).
 */
public final class RttEstimator {

    private static final double ALPHA = 1.0 / 8;
    private static final double BETA = 1.0 / 4;
    private static final int DEVIATION_WEIGHT = 4;

    private final long minRtoMillis;
    private final long maxRtoMillis;
    private final long initialRtoMillis;
    private final long marginMillis;
    private double srtt = -1;
    private double rttvar;

    public RttEstimator(long minRtoMillis, long maxRtoMillis, long initialRtoMillis, long marginMillis) {
        if (minRtoMillis <= 0 || maxRtoMillis < minRtoMillis || marginMillis < 0) {
            throw new IllegalArgumentException("need 0 < minRto <= maxRto and margin >= 0");
        }
        this.marginMillis = marginMillis;
        this.minRtoMillis = minRtoMillis;
        this.maxRtoMillis = maxRtoMillis;
        this.initialRtoMillis = Math.min(maxRtoMillis, Math.max(minRtoMillis, initialRtoMillis));
    }

    public void sample(double rttMillis) {
        double r = Math.max(0, rttMillis);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (1 - BETA) * rttvar + BETA * Math.abs(srtt - r);
            srtt = (1 - ALPHA) * srtt + ALPHA * r;
        }
    }

    /**
     * Forgets the estimate, so the next sample starts afresh. For use after repeated back-off: the old
     * SRTT and RTTVAR are then likely bogus (RFC 6298, section 5).
     */
    public void reset() {
        srtt = -1;
        rttvar = 0;
    }

    public boolean hasSample() {
        return srtt >= 0;
    }

    /** Smoothed RTT in ms, or {@link Double#NaN} before the first sample. */
    public double srttMillis() {
        return srtt < 0 ? Double.NaN : srtt;
    }

    public long rtoMillis() {
        if (srtt < 0) {
            return initialRtoMillis;
        }
        long rto = (long) Math.ceil(srtt + Math.max(marginMillis, DEVIATION_WEIGHT * rttvar));
        return Math.min(maxRtoMillis, Math.max(minRtoMillis, rto));
    }
}
