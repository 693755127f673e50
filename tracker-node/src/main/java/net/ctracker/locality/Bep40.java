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
        int ipLength = client.length - 2;
        if (peer.length != client.length || (ipLength != 4 && ipLength != 16)) {
            throw new IllegalArgumentException("both endpoints must be IPv4 (6 bytes) or IPv6 (18 bytes)");
        }
        CRC32C crc = new CRC32C();
        if (Arrays.equals(client, 0, ipLength, peer, 0, ipLength)) {
            byte[] a = Arrays.copyOfRange(client, ipLength, ipLength + 2);
            byte[] b = Arrays.copyOfRange(peer, ipLength, ipLength + 2);
            update(crc, a, b);
            return crc.getValue();
        }
        byte[] mask = mask(client, peer, ipLength);
        byte[] a = new byte[ipLength];
        byte[] b = new byte[ipLength];
        for (int i = 0; i < ipLength; i++) {
            a[i] = (byte) (client[i] & mask[i]);
            b[i] = (byte) (peer[i] & mask[i]);
        }
        update(crc, a, b);
        return crc.getValue();
    }

    private static void update(CRC32C crc, byte[] a, byte[] b) {
        if (Arrays.compareUnsigned(a, b) <= 0) {
            crc.update(a);
            crc.update(b);
        } else {
            crc.update(b);
            crc.update(a);
        }
    }

    /** FF for the leading bytes (two for IPv4, six for IPv6), one more FF per further shared byte, then 55. */
    private static byte[] mask(byte[] a, byte[] b, int ipLength) {
        byte[] mask = new byte[ipLength];
        Arrays.fill(mask, (byte) 0x55);
        int whole = ipLength == 4 ? 2 : 6;
        for (int i = 0; i < whole; i++) {
            mask[i] = (byte) 0xFF;
        }
        for (int i = whole; i < ipLength && a[i - 1] == b[i - 1] && sharedUpTo(a, b, i); i++) {
            mask[i] = (byte) 0xFF;
        }
        return mask;
    }

    private static boolean sharedUpTo(byte[] a, byte[] b, int bytes) {
        return Arrays.equals(a, 0, bytes, b, 0, bytes);
    }
}
