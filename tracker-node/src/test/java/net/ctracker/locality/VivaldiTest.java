package net.ctracker.locality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Vivaldi on known RTT matrices: it converges, and one wrong or lying sample does not undo it. */
class VivaldiTest {

    /** 40 hosts in 4 clusters on a plane, RTT = 2 ms access + Euclidean distance (a metric Vivaldi can embed). */
    static double[][] clusteredMatrix(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = {{0, 0}, {120, 10}, {40, 150}, {160, 140}};
        double[][] pos = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] c = centres[i % centres.length];
            pos[i] = new double[] {c[0] + r.nextDouble(-10, 10), c[1] + r.nextDouble(-10, 10)};
        }
        double[][] rtt = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    rtt[i][j] = 2 + Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]);
                }
            }
        }
        return rtt;
    }

    static Vivaldi[] run(double[][] rtt, long seed, int rounds) {
        int n = rtt.length;
        SplittableRandom r = new SplittableRandom(seed);
        Vivaldi[] v = new Vivaldi[n];
        for (int i = 0; i < n; i++) {
            v[i] = new Vivaldi(3, 10_000, r.split());
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                int j = r.nextInt(n - 1);
                j = j >= i ? j + 1 : j;
                v[i].update(rtt[i][j], v[j].coordinate());
            }
        }
        return v;
    }

    static double shareWithin(Vivaldi[] v, double[][] rtt, double relativeError) {
        int good = 0;
        int pairs = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                double predicted = v[i].coordinate().rttMillisTo(v[j].coordinate());
                pairs++;
                if (Math.abs(predicted - rtt[i][j]) / rtt[i][j] < relativeError) {
                    good++;
                }
            }
        }
        return (double) good / pairs;
    }

    @Test
    void convergesOnAKnownRttMatrix() {
        double[][] rtt = clusteredMatrix(1, 40);
        Vivaldi[] v = run(rtt, 2, 400);
        assertThat(shareWithin(v, rtt, 0.2)).as("pairs predicted within 20%").isGreaterThan(0.9);
        for (Vivaldi x : v) {
            assertThat(x.error()).as("each node's own error estimate").isLessThan(0.25);
        }
    }

    @Test
    void aWildlyWrongSampleOrALyingRemoteMovesAConvergedCoordinateLittle() {
        double[][] rtt = clusteredMatrix(3, 40);
        Vivaldi[] v = run(rtt, 4, 400);
        double before = shareWithin(v, rtt, 0.2);
        Coordinate was = v[0].coordinate();
        // a sample a hundred times the truth (a stalled packet), then a remote that claims to be far
        // away and certain of it
        v[0].update(rtt[0][1] * 100, v[1].coordinate());
        v[0].update(rtt[0][2], new Coordinate(new double[] {5_000, -5_000, 5_000}, 0.1, 0.0));
        double moved = Math.sqrt(Math.pow(was.component(0) - v[0].coordinate().component(0), 2)
                + Math.pow(was.component(1) - v[0].coordinate().component(1), 2)
                + Math.pow(was.component(2) - v[0].coordinate().component(2), 2));
        assertThat(moved).as("each of the two samples moves node 0 by at most the RTT it measured")
                .isLessThan(rtt[0][1] + rtt[0][2]);
        assertThat(shareWithin(v, rtt, 0.2)).isGreaterThan(before - 0.05);
        // samples out of range are refused outright
        assertThat(v[0].update(-1, v[1].coordinate())).isFalse();
        assertThat(v[0].update(Double.NaN, v[1].coordinate())).isFalse();
        assertThat(v[0].update(20_000, v[1].coordinate())).isFalse();
        assertThat(v[0].update(10, Coordinate.NONE)).isFalse();
    }

    @Test
    void theMedianFilterDropsASingleDelayedSample() {
        RttFilter<String> f = new RttFilter<>(5, 10);
        for (int i = 0; i < 4; i++) {
            f.add("a", 20);
        }
        assertThat(f.add("a", 2_000)).as("one stalled packet among five").isEqualTo(20);
        assertThat(f.add("b", 7)).isEqualTo(7);
    }

    @Test
    void theFilterForgetsTheLeastRecentlySampledPeerBeyondItsBound() {
        RttFilter<Integer> f = new RttFilter<>(3, 2);
        f.add(1, 10);
        f.add(2, 10);
        f.add(3, 10);
        assertThat(f.peers()).isEqualTo(2);
        assertThat(f.add(1, 50)).as("peer 1 was forgotten: its old samples are gone").isEqualTo(50);
    }
}
