package net.ctracker.overlay.sim;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.OverlayContractTest;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/** The overlay contract on the simulator's transport, in virtual time. */
class SimOverlayContractTest extends OverlayContractTest {

    @Override
    protected Cluster newCluster() {
        long seed = SimSeeds.seedFor(getClass().getSimpleName());
        SimOverlay overlay = new SimOverlay(seed, OverlayConfig.defaults(), LatencyModel.constant(10));
        overlay.network().codecCheck(true);
        return new Cluster() {
            @Override
            public OverlayNode add() {
                return overlay.addNode().node();
            }

            @Override
            public void awaitTrue(String what, BooleanSupplier condition, Duration limit) {
                long end = overlay.sim().now() + limit.toMillis();
                while (!condition.getAsBoolean()) {
                    if (overlay.sim().now() >= end) {
                        throw new AssertionError(what + ": not within " + limit + " of virtual time (seed " + seed + ")");
                    }
                    overlay.run(50);
                }
            }

            @Override
            public void assertHolds(String what, BooleanSupplier condition, Duration period) {
                long end = overlay.sim().now() + period.toMillis();
                while (overlay.sim().now() < end) {
                    if (!condition.getAsBoolean()) {
                        throw new AssertionError(what + ": stopped holding (seed " + seed + ")");
                    }
                    overlay.run(50);
                }
            }

            @Override
            public void stop(OverlayNode node) {
                node.leave();
            }

            @Override
            public NodeHandle unreachable() {
                return new NodeHandle(NodeKey.random(overlay.random()), "sim://nowhere", "r0");
            }

            @Override
            public void close() {
            }
        };
    }
}
