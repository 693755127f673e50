package net.ctracker.locality;

import java.util.Arrays;

/**
 * A network coordinate (Dabek et al., "Vivaldi", SIGCOMM 2004): a point in a low-dimensional
 * Euclidean space plus a height (the access link's share of every RTT), and the owner's error
 * estimate (relative, 0 = certain, 1 = unknown). The predicted RTT between two nodes is the
 * Euclidean distance of their vectors plus both heights. Immutable; {@link #NONE} is "not known".
 */
public final class Coordinate {

    /** Dimensions a wire coordinate may carry. */
    public static final int MAX_DIMENSIONS = 8;

    public static final Coordinate NONE = new Coordinate(new double[0], 0, 1);

    private final double[] vector;
    private final double height;
    private final double error;

    public Coordinate(double[] vector, double height, double error) {
        if (vector.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("at most " + MAX_DIMENSIONS + " dimensions");
        }
        for (double v : vector) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("coordinate component is not finite");
            }
        }
        if (!Double.isFinite(height) || height < 0 || !Double.isFinite(error) || error < 0) {
            throw new IllegalArgumentException("height and error must be finite and non-negative");
        }
        this.vector = vector.clone();
        this.height = height;
        this.error = error;
    }

    public boolean known() {
        return vector.length > 0;
    }

    public int dimensions() {
        return vector.length;
    }

    public double component(int i) {
        return vector[i];
    }

    public double[] vector() {
        return vector.clone();
    }

    public double height() {
        return height;
    }

    public double error() {
        return error;
    }

    /** Predicted RTT in milliseconds to {@code other}, or {@link Double#NaN} if either is unknown or they differ in dimensions. */
    public double rttMillisTo(Coordinate other) {
        if (!known() || !other.known() || other.vector.length != vector.length) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < vector.length; i++) {
            double d = vector[i] - other.vector[i];
            sum += d * d;
        }
        return Math.sqrt(sum) + height + other.height;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c && Arrays.equals(vector, c.vector) && height == c.height && error == c.error;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vector) + Double.hashCode(height);
    }

    @Override
    public String toString() {
        return known() ? Arrays.toString(vector) + " h=" + height + " err=" + error : "unknown";
    }
}
