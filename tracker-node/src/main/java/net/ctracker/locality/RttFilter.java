package net.ctracker.locality;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-peer moving-median filter of raw RTT samples (after Ledlie, Gardner, Seltzer: "Network
 * Coordinates in the Wild", NSDI 2007): the coordinate is updated with the median of the last
 * {@code window} samples to a peer, so one delayed packet or a moment of queueing does not move it.
 * Bounded: at most {@code maxPeers} peers, least recently sampled forgotten first. Not thread-safe.
 */
public final class RttFilter<K> {

    private final int window;
    private final int maxPeers;
    private final LinkedHashMap<K, double[]> history = new LinkedHashMap<>(16, 0.75f, true);

    public RttFilter(int window, int maxPeers) {
        if (window < 1 || maxPeers < 1) {
            throw new IllegalArgumentException("window and maxPeers must be positive");
        }
        this.window = window;
        this.maxPeers = maxPeers;
    }

    /** Adds a sample to {@code peer} and returns the median of its recent samples. */
    public double add(K peer, double rttMillis) {
        double[] h = history.get(peer);
        if (h == null) {
            h = new double[window + 1]; // [count, samples...]
            history.put(peer, h);
            if (history.size() > maxPeers) {
                Iterator<Map.Entry<K, double[]>> oldest = history.entrySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        int count = (int) h[0];
        h[1 + count % window] = rttMillis;
        h[0] = count + 1;
        int n = Math.min(count + 1, window);
        double[] sorted = Arrays.copyOfRange(h, 1, 1 + n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public int peers() {
        return history.size();
    }
}
