package net.ctracker.support;

import java.util.SplittableRandom;

import net.ctracker.overlay.routing.NodeKey;

/**
 * Seeds for tests that run real nodes: the node keys (and so the overlay's shape) and the keys
 * they route come from one seed, printed when the test starts, so a failing cluster replays with
 * {@code -Dcluster.seed=N}. Thread timing still varies from run to run; the shape does not.
 */
public final class ClusterSeeds {

    private final long seed;
    private final SplittableRandom random;

    private ClusterSeeds(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** {@code -Dcluster.seed} if set, else a fresh seed; printed either way. */
    public static ClusterSeeds forTest(String test) {
        Long forced = Long.getLong("cluster.seed");
        long seed = forced != null ? forced : System.nanoTime();
        System.out.println("CLUSTER SEED " + test + " seed=" + seed + "  (replay: -Dcluster.seed=" + seed + " -Dtest=" + test + ")");
        return new ClusterSeeds(seed);
    }

    public long seed() {
        return seed;
    }

    /** The next node's key, as {@code --ctracker.node-key}. */
    public String nodeKeyArgument() {
        return "--ctracker.node-key=" + NodeKey.random(random);
    }

    /** A generator for whatever else the test draws (keys to route), split off the seed. */
    public SplittableRandom random() {
        return random.split();
    }
}
