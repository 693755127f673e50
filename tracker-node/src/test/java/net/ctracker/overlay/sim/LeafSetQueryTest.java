package net.ctracker.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.ctracker.overlay.OverlayConfig;
import org.junit.jupiter.api.Test;

/** Leaf-set queries in a cluster smaller than a leaf set, where both sides of a leaf set are the same nodes. */
class LeafSetQueryTest {

    private static long leafExchangesSent(SimOverlay overlay) {
        return overlay.live().stream()
                .mapToLong(h -> h.node().snapshotNow().counters().sent().getOrDefault("LEAF_EXCHANGE", 0L)).sum();
    }

    @Test
    void aSurvivorAsksItsOnlyNeighbourForItsLeavesOnceNotOncePerSide() {
        OverlayConfig config = OverlayConfig.builder().snapshotPeriodMillis(0).build();
        SimOverlay overlay = new SimOverlay(41, config, LatencyModel.plane(1, 0.05, 2, 2));
        overlay.joinOneAtATime(3, 300);
        overlay.run(5 * config.pings().pingPeriodMillis());
        List<SimHost> live = overlay.live();
        long before = leafExchangesSent(overlay);
        live.get(2).kill();
        overlay.run(5 * config.pings().pingPeriodMillis());
        long sent = leafExchangesSent(overlay) - before;
        // each survivor lost a leaf on both sides, and the farthest leaf of both is the other survivor:
        // it asks once at the failure and at each of the two rechecks, and answers the other's questions
        // (at most 3 x 2 + 6); asked once per side, the same survivors sent 20
        assertThat(sent).as("LEAF_EXCHANGE messages sent after the failure").isBetween(1L, 12L);
        assertThat(overlay.live()).hasSize(2);
    }
}
