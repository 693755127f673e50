package net.ctracker.overlay.sim;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives simulation tests their seed and prints it when a test fails. The seed is
 * {@code -Dsim.seed=N} if set (to replay a failure), otherwise a fixed value derived from the test's
 * name, so the default build is reproducible. Use a {@code long seed} test parameter.
 */
public final class SimSeeds implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimSeeds.class);

    public static long seedFor(String name) {
        Long forced = Long.getLong("sim.seed");
        return forced != null ? forced : name.hashCode() * 0x9E3779B97F4A7C15L;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == long.class && p.getParameter().getName().equals("seed")
                || p.getParameter().getType() == long.class && p.getIndex() == 0;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        long seed = seedFor(e.getRequiredTestMethod().getName());
        e.getStore(NS).put("seed", seed);
        return seed;
    }

    @Override
    public void testFailed(ExtensionContext e, Throwable cause) {
        Object seed = e.getStore(NS).get("seed");
        if (seed == null) {
            return; // a test without its own seed names the seed it used in its assertion
        }
        System.err.println("SIMULATION FAILED: " + e.getDisplayName() + " seed=" + seed
                + "  (replay: -Dsim.seed=" + seed + " -Dtest=" + e.getRequiredTestClass().getSimpleName() + ")");
    }
}
