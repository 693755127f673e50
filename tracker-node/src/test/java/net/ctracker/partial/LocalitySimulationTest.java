package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;

import net.ctracker.locality.LocalityConfig;
import net.ctracker.overlay.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Locality in the simulator: 200 nodes in 5 regions (5..20 ms inside, 50..250 ms between), 6,000
 * peers over 30 swarms announcing at their nearest node; the peers handed to new requesters are
 * nearly as close as the truly nearest ones and far closer than a random choice.
 */
@ExtendWith(SimSeeds.class)
class LocalitySimulationTest {

    @Test
    void requestersAreHandedPeersNearlyAsCloseAsTheNearestAndFarCloserThanRandom(long seed) {
        PartialConfig config = PartialConfig.builder(30 * 60_000).budgetMillis(1_000).build();
        LocalityExperiment.Result r = LocalityExperiment.run(seed, 200, 5, 30, 6_000, 10, 50, config, LocalityConfig.defaults());
        String seen = r.describe() + " (seed " + seed + ")";
        System.out.println("LocalitySimulationTest: " + seen);
        assertThat(r.coordinateErrorMedian()).as("coordinates predict node RTTs: %s", seen).isLessThan(0.2);
        assertThat(r.meanHanded()).as("full answers: %s", seen).isGreaterThan(45);
        assertThat(r.handedMedian()).as("close to the oracle: %s", seen).isLessThanOrEqualTo(1.5 * r.oracleMedian());
        assertThat(r.handedMedian()).as("far below random: %s", seen).isLessThanOrEqualTo(0.3 * r.randomMedian());
        assertThat(r.sameRegionShare()).as("mostly the requester's region: %s", seen).isGreaterThan(0.6);
    }
}
