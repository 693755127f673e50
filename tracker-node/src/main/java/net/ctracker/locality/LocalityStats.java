package net.ctracker.locality;

import java.util.Arrays;

/**
 * The locality figures of the most recent ranked answers (a window of {@value #WINDOW}): the share
 * of handed-out peers from the requester's region, and the median predicted RTT of handed-out peers
 * against a random choice. Thread-safe (one short lock per observation and per read).
 */
public final class LocalityStats implements LocalityObserver {

    static final int WINDOW = 1024;

    private final double[] share = new double[WINDOW];
    private final double[] handed = new double[WINDOW];
    private final double[] random = new double[WINDOW];
    private long answers;

    /** The window's figures; {@code Double.NaN} until something was measured. */
    public record Snapshot(long answers, double sameRegionShare, double medianHandedRttMillis, double medianRandomRttMillis) {
    }

    @Override
    public synchronized void answered(int count, int sameRegion, double handedRttMillis, double randomRttMillis) {
        int i = (int) (answers % WINDOW);
        share[i] = count == 0 ? Double.NaN : (double) sameRegion / count;
        handed[i] = handedRttMillis;
        random[i] = randomRttMillis;
        answers++;
    }

    public synchronized Snapshot snapshot() {
        int n = (int) Math.min(answers, WINDOW);
        return new Snapshot(answers, mean(share, n), median(handed, n), median(random, n));
    }

    private static double mean(double[] v, int n) {
        double sum = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(v[i])) {
                sum += v[i];
                k++;
            }
        }
        return k == 0 ? Double.NaN : sum / k;
    }

    private static double median(double[] v, int n) {
        double[] known = Arrays.stream(v, 0, n).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (known.length == 0) {
            return Double.NaN;
        }
        int m = known.length;
        return m % 2 == 1 ? known[m / 2] : (known[m / 2 - 1] + known[m / 2]) / 2;
    }
}
