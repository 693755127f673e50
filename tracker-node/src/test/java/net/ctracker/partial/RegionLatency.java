package net.ctracker.partial;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.ctracker.overlay.sim.LatencyModel;

/**
 * Regions on a plane, as the locality experiment wants them: {@code regions} centres whose pairwise
 * RTTs lie in 50..250 ms, every host (node or peer) within a disc of its region's centre so that RTTs
 * inside a region are 5..20 ms. RTT = 5 ms + Euclidean distance in ms. Hosts are spread over the
 * regions in turn (host i in region i mod regions).
 */
final class RegionLatency implements LatencyModel {

    static final double BASE = 5;
    static final double RADIUS = 7.5;

    final int regions;
    final double[][] centres;
    private final List<double[]> hosts = new ArrayList<>();

    RegionLatency(int regions, long seed) {
        this.regions = regions;
        SplittableRandom r = new SplittableRandom(seed);
        centres = new double[regions][];
        for (int i = 0; i < regions; i++) {
            double[] c;
            boolean ok;
            int tries = 0;
            do {
                c = new double[] {r.nextDouble(0, 180), r.nextDouble(0, 180)};
                ok = true;
                for (int j = 0; j < i; j++) {
                    double d = BASE + Math.hypot(c[0] - centres[j][0], c[1] - centres[j][1]);
                    ok &= d >= 50 + 2 * RADIUS && d <= 250 - 2 * RADIUS;
                }
            } while (!ok && ++tries < 100_000);
            centres[i] = c;
        }
    }

    /** A point in region {@code region}: uniform in the disc. */
    double[] point(int region, SplittableRandom random) {
        double a = random.nextDouble(0, 2 * Math.PI);
        double d = RADIUS * Math.sqrt(random.nextDouble());
        return new double[] {centres[region][0] + d * Math.cos(a), centres[region][1] + d * Math.sin(a), region};
    }

    @Override
    public String place(int id, SplittableRandom random) {
        while (hosts.size() <= id) {
            hosts.add(null);
        }
        int region = id % regions;
        hosts.set(id, point(region, random));
        return "region-" + region;
    }

    double[] host(int id) {
        return hosts.get(id);
    }

    static double rtt(double[] a, double[] b) {
        return BASE + Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    @Override
    public double rttMillis(int a, int b) {
        return a == b ? 0 : rtt(hosts.get(a), hosts.get(b));
    }
}
