package net.ctracker.locality;

/**
 * How peers are ranked by closeness (BRIEF section 3); Spring maps {@code ctracker.locality.*} onto it.
 *
 * @param ranking               rank answers by closeness (off: a random choice, as a central tracker gives)
 * @param dimensions            dimensions of the network coordinates (plus a height)
 * @param coordinatePeriodMillis every this long a node swaps coordinates with one random neighbour while its error is
 *                              above 0.25 (a fifth of it while above 0.5), every sixth period once settled
 * @param oversample            an announce draws this many times numwant of the node's own peers to rank from
 */
public record LocalityConfig(boolean ranking, int dimensions, long coordinatePeriodMillis, int oversample) {

    public LocalityConfig {
        if (dimensions < 1 || dimensions > Coordinate.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("dimensions must be 1.." + Coordinate.MAX_DIMENSIONS);
        }
        if (coordinatePeriodMillis < 1) {
            throw new IllegalArgumentException("coordinate period must be positive");
        }
        if (oversample < 1 || oversample > 4) {
            throw new IllegalArgumentException("oversample must be 1..4");
        }
    }

    public static LocalityConfig defaults() {
        return new LocalityConfig(true, 3, 10_000, 2);
    }

    public static final LocalityConfig OFF = new LocalityConfig(false, 3, 10_000, 1);
}
