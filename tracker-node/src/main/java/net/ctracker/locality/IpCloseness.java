package net.ctracker.locality;

/**
 * How close two peers' addresses are, for ranking (lower is closer): the same network of the
 * operator's ISP map first (0), then other networks in the order of the map's cost (1 + cost), then,
 * for addresses the map does not place or does not cost, the longest common prefix (more shared
 * bits closer). Addresses of different families are the farthest.
 */
public final class IpCloseness {

    /** Distances from the prefix rule start here, above any cost-map value. */
    static final double PREFIX_BASE = 1e9;

    private IpCloseness() {
    }

    /** @param a @param b raw addresses (4 or 16 bytes) */
    public static double distance(AltoMaps maps, byte[] a, byte[] b) {
        if (a.length != b.length) {
            return PREFIX_BASE + 1000;
        }
        if (!maps.isEmpty()) {
            String pa = maps.pidOf(a);
            String pb = maps.pidOf(b);
            if (pa != null && pb != null) {
                if (pa.equals(pb)) {
                    return 0;
                }
                double cost = maps.cost(pa, pb);
                if (!Double.isNaN(cost)) {
                    return 1 + cost;
                }
            }
        }
        return prefixDistance(a, b, 0, a.length);
    }

    /**
     * As {@link #distance} without a map, for the first {@code length} bytes of {@code a} and of
     * {@code b} from {@code bOffset} (addresses inside compact endpoints, copied nowhere).
     */
    public static double prefixDistance(byte[] a, byte[] b, int bOffset, int length) {
        return PREFIX_BASE + (length * 8 - commonPrefixBits(a, b, bOffset, length));
    }

    public static int commonPrefixBits(byte[] a, byte[] b) {
        return commonPrefixBits(a, b, 0, Math.min(a.length, b.length));
    }

    /** The leading bits {@code a[0..length)} and {@code b[bOffset..bOffset+length)} share. */
    private static int commonPrefixBits(byte[] a, byte[] b, int bOffset, int length) {
        int bits = 0;
        for (int i = 0; i < length; i++) {
            int x = (a[i] ^ b[bOffset + i]) & 0xFF;
            if (x != 0) {
                return bits + Integer.numberOfLeadingZeros(x) - 24;
            }
            bits += 8;
        }
        return bits;
    }
}
