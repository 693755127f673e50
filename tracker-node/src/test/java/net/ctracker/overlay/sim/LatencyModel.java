package net.ctracker.overlay.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Round-trip times between simulated hosts. Hosts are placed when created ({@link #place}); a model
 * may be a geometry (points on a plane or a sphere, RTT growing with distance) or a measured matrix.
 */
public interface LatencyModel {

    /** Places host {@code id} and returns its region label. */
    String place(int id, SplittableRandom random);

    /** RTT in milliseconds between two placed hosts (symmetric). */
    double rttMillis(int a, int b);

    /** Every host in the same place: a fixed RTT. */
    static LatencyModel constant(double rttMillis) {
        return new LatencyModel() {
            @Override
            public String place(int id, SplittableRandom random) {
                return "r0";
            }

            @Override
            public double rttMillis(int a, int b) {
                return a == b ? 0 : rttMillis;
            }
        };
    }

    /**
     * Points on a unit square clustered around {@code regions} centres (Gaussian spread
     * {@code spread}); RTT = {@code baseMillis} + Euclidean distance x {@code millisPerUnit}.
     */
    static LatencyModel plane(int regions, double spread, double baseMillis, double millisPerUnit) {
        return new Geometric(regions, spread, baseMillis, millisPerUnit, false);
    }

    /**
     * Points on a unit sphere clustered around {@code regions} centres; RTT = {@code baseMillis} +
     * great-circle angle (radians) x {@code millisPerRadian}.
     */
    static LatencyModel sphere(int regions, double spread, double baseMillis, double millisPerRadian) {
        return new Geometric(regions, spread, baseMillis, millisPerRadian, true);
    }

    /**
     * A matrix of measured RTTs between sites; each host is put in a random site and gets
     * {@code intraSiteMillis} to hosts of its own site.
     */
    static LatencyModel matrix(double[][] siteRtts, double intraSiteMillis) {
        return new LatencyModel() {
            private final List<Integer> site = new ArrayList<>();

            @Override
            public String place(int id, SplittableRandom random) {
                int s = random.nextInt(siteRtts.length);
                while (site.size() <= id) {
                    site.add(0);
                }
                site.set(id, s);
                return "site" + s;
            }

            @Override
            public double rttMillis(int a, int b) {
                if (a == b) {
                    return 0;
                }
                int sa = site.get(a);
                int sb = site.get(b);
                return sa == sb ? intraSiteMillis : siteRtts[sa][sb];
            }
        };
    }

    /** Plane or sphere geometry; coordinates kept in flat arrays (three doubles a host). */
    final class Geometric implements LatencyModel {
        private final int regions;
        private final double spread;
        private final double base;
        private final double scale;
        private final boolean sphere;
        private double[][] centres;
        private double[] coords = new double[3 * 1024];

        Geometric(int regions, double spread, double base, double scale, boolean sphere) {
            this.regions = regions;
            this.spread = spread;
            this.base = base;
            this.scale = scale;
            this.sphere = sphere;
        }

        @Override
        public String place(int id, SplittableRandom random) {
            if (centres == null) {
                centres = new double[regions][];
                for (int r = 0; r < regions; r++) {
                    centres[r] = sphere ? unit(random.nextGaussian(), random.nextGaussian(), random.nextGaussian())
                            : new double[] {random.nextDouble(), random.nextDouble(), 0};
                }
            }
            int r = random.nextInt(regions);
            double[] c = centres[r];
            double x = c[0] + spread * random.nextGaussian();
            double y = c[1] + spread * random.nextGaussian();
            double z = sphere ? c[2] + spread * random.nextGaussian() : 0;
            double[] p = sphere ? unit(x, y, z) : new double[] {x, y, 0};
            if (coords.length < 3 * (id + 1)) {
                coords = java.util.Arrays.copyOf(coords, Math.max(coords.length * 2, 3 * (id + 1)));
            }
            System.arraycopy(p, 0, coords, 3 * id, 3);
            return "r" + r;
        }

        private static double[] unit(double x, double y, double z) {
            double n = Math.sqrt(x * x + y * y + z * z);
            return n == 0 ? new double[] {1, 0, 0} : new double[] {x / n, y / n, z / n};
        }

        @Override
        public double rttMillis(int a, int b) {
            if (a == b) {
                return 0;
            }
            double dx = coords[3 * a] - coords[3 * b];
            double dy = coords[3 * a + 1] - coords[3 * b + 1];
            double dz = coords[3 * a + 2] - coords[3 * b + 2];
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (sphere) {
                d = 2 * Math.asin(Math.min(1, d / 2));
            }
            return base + d * scale;
        }
    }
}
