package net.ctracker.locality;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * BEP 40 canonical peer priority: {@code crc32-c(sort(masked client ip, masked peer ip))}, or of the
 * two ports when the addresses are equal. IPv4 addresses are masked with FF.FF.55.55, FF.FF.FF.55
 * within one /16, not at all within one /24; IPv6 likewise, from FFFF:FFFF:FFFF:5555:... with one
 * more byte kept whole per shared byte from /48 on. Both ends compute the same value, so it serves
 * as the stable tie-break of the ranking (higher first).
 */
public final class Bep40 {

    private Bep40() {
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

    /**
     * Priorities of many peers for one client without allocating per peer (the ranking computes one
     * for every candidate of every answer). Not thread-safe: one instance per answer.
     */
    public static final class Priorities {
        private final CRC32C crc = new CRC32C();
        private final byte[] masked = new byte[32];

        /** As {@link #priority}, for the endpoint of the client's length at {@code peer[peerOffset..]}. */
        public long of(byte[] client, byte[] peer, int peerOffset) {
            int ipLength = client.length - 2;
            if ((ipLength != 4 && ipLength != 16) || peer.length - peerOffset < client.length) {
                throw new IllegalArgumentException("both endpoints must be IPv4 (6 bytes) or IPv6 (18 bytes)");
            }
            int shared = 0;
            while (shared < ipLength && client[shared] == peer[peerOffset + shared]) {
                shared++;
            }
            crc.reset();
            if (shared == ipLength) {
                // the same address: the two ports
                System.arraycopy(client, ipLength, masked, 0, 2);
                System.arraycopy(peer, peerOffset + ipLength, masked, 2, 2);
                update(0, 2, 2);
                return crc.getValue();
            }
            // FF for the leading bytes (two for IPv4, six for IPv6), one more per further shared byte, then 55
            int whole = Math.max(ipLength == 4 ? 2 : 6, Math.min(ipLength, shared + 1));
            for (int i = 0; i < ipLength; i++) {
                int mask = i < whole ? 0xFF : 0x55;
                masked[i] = (byte) (client[i] & mask);
                masked[ipLength + i] = (byte) (peer[peerOffset + i] & mask);
            }
            update(0, ipLength, ipLength);
            return crc.getValue();
        }

        /** The two halves of {@code masked}, the lower (unsigned) first. */
        private void update(int a, int b, int length) {
            if (Arrays.compareUnsigned(masked, a, a + length, masked, b, b + length) <= 0) {
                crc.update(masked, a, length);
                crc.update(masked, b, length);
            } else {
                crc.update(masked, b, length);
                crc.update(masked, a, length);
            }
        }
    }
}
