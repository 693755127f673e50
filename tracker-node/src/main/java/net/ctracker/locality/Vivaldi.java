package net.ctracker.locality;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One node's Vivaldi network coordinate (Dabek, Cox, Kaashoek, Morris: "Vivaldi: A Decentralized
 * Network Coordinate System", SIGCOMM 2004): a point in {@code dimensions}-dimensional Euclidean
 * space plus a height, moved by each RTT sample towards the position that sample predicts, with the
 * paper's adaptive timestep {@code cc * w} (w: this node's error relative to the remote's) and its
 * moving relative-error estimate (ce).
 *
 * <p>Robustness: a sample outside (0, {@code maxRttMillis}] or from a remote without a finite
 * coordinate is refused; a remote that claims less error than {@value #MIN_REMOTE_ERROR} is taken at
 * that floor (so a lying, certain-sounding remote cannot pull with full weight); and one sample
 * moves the coordinate by at most the RTT it measured. Filtering the raw samples (a node's queues,
 * a single delayed packet) is the caller's job ({@link RttFilter}). Not thread-safe: one writer.
 */
public final class Vivaldi {

    /** The paper's constants: error smoothing and timestep. */
    public static final double CE = 0.25;
    public static final double CC = 0.25;
    /** Least height a coordinate keeps, in milliseconds. */
    public static final double MIN_HEIGHT = 0.1;
    /** Errors are relative: 1.0 means "no idea"; estimates are kept within [0, MAX_ERROR]. */
    public static final double MAX_ERROR = 1.5;
    public static final double MIN_REMOTE_ERROR = 0.05;

    private final double[] x;
    private double height = MIN_HEIGHT;
    private double error = 1.0;
    private final double maxRttMillis;
    private final RandomGenerator random;
    private long samples;
    private long refused;

    public Vivaldi(int dimensions, double maxRttMillis, RandomGenerator random) {
        if (dimensions < 1 || dimensions > Coordinate.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("dimensions must be 1.." + Coordinate.MAX_DIMENSIONS);
        }
        this.x = new double[dimensions];
        this.maxRttMillis = maxRttMillis;
        this.random = random;
    }

    public Coordinate coordinate() {
        return new Coordinate(x, height, error);
    }

    public double error() {
        return error;
    }

    public long samples() {
        return samples;
    }

    public long refused() {
        return refused;
    }

    /**
     * One RTT sample to a node whose coordinate is {@code remote}. Returns false if the sample was
     * refused (out of range, or the remote's coordinate is unknown or of other dimensions).
     */
    public boolean update(double rttMillis, Coordinate remote) {
        if (!(rttMillis > 0 && rttMillis <= maxRttMillis) || remote == null || !remote.known()
                || remote.dimensions() != x.length) {
            refused++;
            return false;
        }
        double remoteError = Math.max(MIN_REMOTE_ERROR, Math.min(MAX_ERROR, remote.error()));
        double w = error / (error + remoteError);
        double[] diff = new double[x.length];
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            diff[i] = x[i] - remote.component(i);
            norm += diff[i] * diff[i];
        }
        norm = Math.sqrt(norm);
        double distance = norm + height + remote.height();
        double sampleError = Math.abs(distance - rttMillis) / rttMillis;
        error = Math.min(MAX_ERROR, sampleError * CE * w + error * (1 - CE * w));
        double force = CC * w * (rttMillis - distance);
        force = Math.max(-rttMillis, Math.min(rttMillis, force));
        if (norm < 1e-9) {
            // the two points coincide: push apart in a random direction
            norm = 0;
            for (int i = 0; i < x.length; i++) {
                diff[i] = random.nextDouble() - 0.5;
                norm += diff[i] * diff[i];
            }
            norm = Math.sqrt(norm);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] += force * diff[i] / norm;
        }
        if (distance > 0) {
            height = Math.max(MIN_HEIGHT, height + force * (height + remote.height()) / distance);
        }
        samples++;
        return true;
    }

    @Override
    public String toString() {
        return Arrays.toString(x) + " h=" + height + " err=" + error;
    }
}
