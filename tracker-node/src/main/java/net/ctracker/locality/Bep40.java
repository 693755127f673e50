package net.ctracker.locality;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * BEP 40 canonical peer priority: {@code crc32-c(sort(masked client ip, masked peer ip))}, or of the
 * two ports when the addresses are equal. IPv4 addresses are masked with FF.FF.55.55, FF.FF.FF.55
 * within one /16, not at all within one /24; IPv6 likewise, from FFFF:FFFF:FFFF:5555:... with one
 * more byte kept whole per shared byte from /48 on. Both ends compute the same value, so it serves
 * as the stable tie-break of the ranking (higher first).
 */
public final class Bep40 {

    private static final VarHandle INT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /**
     * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) from tables, a byte at a time over arrays
     * and four bytes at a time over ints (below): the inputs are 4 to 32 bytes, too short for
     * {@code java.util.zip.CRC32C}'s vectorised path to pay for its calls (it was a tenth of the
     * ranking's cost per candidate).
     */
    private static final int[] CRC_TABLE = new int[256];

    /**
     * The same CRC four bytes at a time ("slicing by 4"): {@code SLICES[256 * k + n]} is the table
     * entry of byte {@code n} followed by {@code k} zero bytes, so the four lookups of a word are
     * independent of each other instead of a chain of four.
     */
    private static final int[] SLICES = new int[4 * 256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            CRC_TABLE[n] = c;
        }
        System.arraycopy(CRC_TABLE, 0, SLICES, 0, 256);
        for (int k = 1; k < 4; k++) {
            for (int n = 0; n < 256; n++) {
                int previous = SLICES[256 * (k - 1) + n];
                SLICES[256 * k + n] = (previous >>> 8) ^ CRC_TABLE[previous & 0xFF];
            }
        }
    }

    private Bep40() {
    }

    /** Continues the (pre-inverted) CRC-32C {@code crc} over the four bytes of {@code v}, most significant first. */
    static int crc32c(int crc, int v) {
        int x = crc ^ Integer.reverseBytes(v); // the first byte (v's most significant) lowest
        return SLICES[768 + (x & 0xFF)] ^ SLICES[512 + ((x >>> 8) & 0xFF)] ^ SLICES[256 + ((x >>> 16) & 0xFF)]
                ^ SLICES[x >>> 24];
    }

    /** Continues the (pre-inverted) CRC-32C {@code crc} over {@code b[off..off+len)}. */
    static int crc32c(int crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ b[i]) & 0xFF];
        }
        return crc;
    }

    /**
     * @param client compact endpoint of the requester (6 or 18 bytes)
     * @param peer   compact endpoint of the candidate, of the same family
     * @return the priority as an unsigned 32-bit value
     */
    public static long priority(byte[] client, byte[] peer) {
        if (peer.length != client.length) {
            throw new IllegalArgumentException("both endpoints must be IPv4 (6 bytes) or IPv6 (18 bytes)");
        }
        return new Priorities().of(client, peer, 0);
    }

    /** The address of the compact IPv4 endpoint at {@code endpoint[offset..]}, as a big-endian int. */
    public static int ipv4(byte[] endpoint, int offset) {
        return (int) INT_BIG_ENDIAN.get(endpoint, offset); // one load, where four bytes shifted together were four
    }

    /** The port of the compact IPv4 endpoint at {@code endpoint[offset..]}. */
    public static int port(byte[] endpoint, int offset) {
        return (short) SHORT_BIG_ENDIAN.get(endpoint, offset + 4) & 0xFFFF;
    }

    /**
     * As {@link #priority} for IPv4, on the addresses as big-endian ints and the ports: the same value
     * as the byte-wise rule, without arrays.
     */
    public static long priorityV4(int client, int clientPort, int peer, int peerPort) {
        int crc;
        if (client == peer) {
            // the same address: the two ports, the lower first
            int lo = Math.min(clientPort, peerPort);
            int hi = Math.max(clientPort, peerPort);
            crc = crc32c(~0, lo << 16 | hi);
            return ~crc & 0xFFFF_FFFFL;
        }
        int shared = Integer.numberOfLeadingZeros(client ^ peer) >>> 3; // whole bytes in common: 0..3
        int mask = shared == 3 ? -1 : shared == 2 ? 0xFFFF_FF55 : 0xFFFF_5555;
        int a = client & mask;
        int b = peer & mask;
        int lo = Integer.compareUnsigned(a, b) <= 0 ? a : b;
        int hi = lo == a ? b : a;
        crc = crc32c(~0, lo);
        crc = crc32c(crc, hi);
        return ~crc & 0xFFFF_FFFFL;
    }

    /**
     * Priorities of many peers for one client without allocating per peer (the ranking computes one
     * for every candidate of every answer). Not thread-safe: one instance per answer.
     */
    public static final class Priorities {
        private final byte[] masked = new byte[32];

        /** As {@link #priority}, for the endpoint of the client's length at {@code peer[peerOffset..]}. */
        public long of(byte[] client, byte[] peer, int peerOffset) {
            int ipLength = client.length - 2;
            if ((ipLength != 4 && ipLength != 16) || peer.length - peerOffset < client.length) {
                throw new IllegalArgumentException("both endpoints must be IPv4 (6 bytes) or IPv6 (18 bytes)");
            }
            if (ipLength == 4) {
                return ofV4(client, peer, peerOffset);
            }
            int shared = 0;
            while (shared < ipLength && client[shared] == peer[peerOffset + shared]) {
                shared++;
            }
            if (shared == ipLength) {
                // the same address: the two ports
                System.arraycopy(client, ipLength, masked, 0, 2);
                System.arraycopy(peer, peerOffset + ipLength, masked, 2, 2);
                return update(0, 2, 2);
            }
            // FF for the leading bytes (two for IPv4, six for IPv6), one more per further shared byte, then 55
            int whole = Math.max(ipLength == 4 ? 2 : 6, Math.min(ipLength, shared + 1));
            for (int i = 0; i < ipLength; i++) {
                int mask = i < whole ? 0xFF : 0x55;
                masked[i] = (byte) (client[i] & mask);
                masked[ipLength + i] = (byte) (peer[peerOffset + i] & mask);
            }
            return update(0, ipLength, ipLength);
        }

        private long ofV4(byte[] client, byte[] peer, int peerOffset) {
            return priorityV4(ipv4(client, 0), port(client, 0), ipv4(peer, peerOffset), port(peer, peerOffset));
        }

        /** CRC-32C of the two halves of {@code masked}, the lower (unsigned) first. */
        private long update(int a, int b, int length) {
            boolean aFirst = Arrays.compareUnsigned(masked, a, a + length, masked, b, b + length) <= 0;
            int crc = crc32c(~0, masked, aFirst ? a : b, length);
            crc = crc32c(crc, masked, aFirst ? b : a, length);
            return ~crc & 0xFFFF_FFFFL;
        }
    }
}
