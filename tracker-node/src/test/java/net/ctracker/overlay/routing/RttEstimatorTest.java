package net.ctracker.overlay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    @Test
    void followsJacobsonKarels() {
        RttEstimator e = new RttEstimator(50, 2_000, 1_000, 0);
        assertThat(e.rtoMillis()).isEqualTo(1_000);
        e.sample(100);
        assertThat(e.srttMillis()).isEqualTo(100);
        assertThat(e.rtoMillis()).isEqualTo(100 + 4 * 50);
        e.sample(200);
        // rttvar = 3/4*50 + 1/4*100 = 62.5; srtt = 7/8*100 + 1/8*200 = 112.5
        assertThat(e.srttMillis()).isEqualTo(112.5);
        assertThat(e.rtoMillis()).isEqualTo((long) Math.ceil(112.5 + 4 * 62.5));
    }

    @Test
    void clampsToBounds() {
        RttEstimator e = new RttEstimator(50, 2_000, 1_000, 0);
        for (int i = 0; i < 50; i++) {
            e.sample(1);
        }
        assertThat(e.rtoMillis()).isEqualTo(50);
        e.sample(100_000);
        assertThat(e.rtoMillis()).isEqualTo(2_000);
    }

    @Test
    void aSteadyLinkKeepsAMarginAboveTheSmoothedRtt() {
        RttEstimator e = new RttEstimator(50, 2_000, 1_000, 40);
        for (int i = 0; i < 100; i++) {
            e.sample(300);
        }
        assertThat(e.rtoMillis()).isEqualTo(340);
    }

    @Test
    void resetStartsAfreshFromTheNextSample() {
        RttEstimator e = new RttEstimator(50, 10_000, 1_000, 0);
        e.sample(100);
        e.reset();
        assertThat(e.hasSample()).isFalse();
        e.sample(4_000);
        assertThat(e.srttMillis()).isEqualTo(4_000);
    }
}
