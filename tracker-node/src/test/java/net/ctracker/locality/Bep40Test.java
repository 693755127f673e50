package net.ctracker.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** BEP 40 canonical peer priority against the BEP's own examples. */
class Bep40Test {

    static byte[] endpoint(String ip, int port) throws Exception {
        byte[] a = InetAddress.getByName(ip).getAddress();
        return ByteBuffer.allocate(a.length + 2).put(a).putShort((short) port).array();
    }

    @Test
    void thePublishedExamples() throws Exception {
        // crc32-c(624C14007BD50000)
        assertThat(Bep40.priority(endpoint("123.213.32.10", 6881), endpoint("98.76.54.32", 6881))).isEqualTo(0xec2d7224L);
        // crc32-c(7BD5200A7BD520EA): the same /24, whole addresses
        assertThat(Bep40.priority(endpoint("123.213.32.10", 6881), endpoint("123.213.32.234", 6881))).isEqualTo(0x99568189L);
    }

    @Test
    void bothEndsAgreeAndTheSameAddressFallsBackToThePorts() throws Exception {
        byte[] a = endpoint("10.0.0.1", 1000);
        byte[] b = endpoint("10.9.8.7", 2000);
        assertThat(Bep40.priority(a, b)).isEqualTo(Bep40.priority(b, a));
        long ports = Bep40.priority(endpoint("10.0.0.1", 1000), endpoint("10.0.0.1", 2000));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(new byte[] {0x03, (byte) 0xE8, 0x07, (byte) 0xD0});
        assertThat(ports).isEqualTo(crc.getValue());
        assertThat(Bep40.priority(endpoint("2001:db8::1", 1), endpoint("2001:db8:1::1", 1)))
                .isEqualTo(Bep40.priority(endpoint("2001:db8:1::1", 1), endpoint("2001:db8::1", 1)));
        assertThatThrownBy(() -> Bep40.priority(endpoint("10.0.0.1", 1), endpoint("::1", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneCalculatorForManyPeersGivesEachPeersOwnPriority() throws Exception {
        byte[] client = endpoint("123.213.32.10", 6881);
        Bep40.Priorities priorities = new Bep40.Priorities();
        String[] peers = {"98.76.54.32", "123.213.32.234", "123.213.32.10", "123.213.99.1", "123.1.2.3"};
        long[] expected = {0xec2d7224L, 0x99568189L, -1, -1, -1};
        for (int i = 0; i < peers.length; i++) {
            byte[] peer = endpoint(peers[i], 6000 + i);
            byte[] packed = new byte[7 + peer.length];
            System.arraycopy(peer, 0, packed, 7, peer.length);
            long got = priorities.of(client, packed, 7);
            assertThat(got).as(peers[i]).isEqualTo(Bep40.priority(client, peer)).isEqualTo(Bep40.priority(peer, client));
            if (expected[i] >= 0) {
                assertThat(got).as(peers[i]).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void theTableCrcIsCrc32c() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(40);
        for (int n = 0; n < 2_000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            int split = b.length == 0 ? 0 : random.nextInt(b.length);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(b);
            int mine = Bep40.crc32c(Bep40.crc32c(~0, b, 0, split), b, split, b.length - split);
            assertThat(~mine & 0xFFFF_FFFFL).as("%d bytes", b.length).isEqualTo(crc.getValue());
        }
    }

    @Test
    void theWordAtATimeCrcIsCrc32cOfTheBigEndianBytes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(41);
        for (int n = 0; n < 2_000; n++) {
            int a = random.nextInt();
            int b = random.nextInt();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(java.nio.ByteBuffer.allocate(8).putInt(a).putInt(b).array());
            int mine = Bep40.crc32c(Bep40.crc32c(~0, a), b);
            assertThat(~mine & 0xFFFF_FFFFL).as("%08x %08x", a, b).isEqualTo(crc.getValue());
        }
    }

    /** The BEP's rule written out on bytes with the JDK's CRC-32C: the oracle for the calculator. */
    private static long byTheText(byte[] client, byte[] peer) {
        int n = client.length - 2;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        if (java.util.Arrays.equals(client, 0, n, peer, 0, n)) {
            byte[] a = java.util.Arrays.copyOfRange(client, n, n + 2);
            byte[] b = java.util.Arrays.copyOfRange(peer, n, n + 2);
            boolean aFirst = java.util.Arrays.compareUnsigned(a, b) <= 0;
            crc.update(aFirst ? a : b);
            crc.update(aFirst ? b : a);
            return crc.getValue();
        }
        int shared = 0;
        while (client[shared] == peer[shared]) {
            shared++;
        }
        int whole = Math.max(n == 4 ? 2 : 6, Math.min(n, shared + 1));
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int mask = i < whole ? 0xFF : 0x55;
            a[i] = (byte) (client[i] & mask);
            b[i] = (byte) (peer[i] & mask);
        }
        boolean aFirst = java.util.Arrays.compareUnsigned(a, b) <= 0;
        crc.update(aFirst ? a : b);
        crc.update(aFirst ? b : a);
        return crc.getValue();
    }

    @Test
    void everyPrefixLengthAndBothFamiliesAgreeWithTheRuleAsWritten() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4040);
        Bep40.Priorities priorities = new Bep40.Priorities();
        for (int n = 0; n < 20_000; n++) {
            int length = random.nextInt(4) == 0 ? 18 : 6;
            byte[] client = new byte[length];
            random.nextBytes(client);
            byte[] peer = new byte[length];
            random.nextBytes(peer);
            int shared = random.nextInt(length - 1); // bytes copied from the client: up to the whole address and a port byte
            System.arraycopy(client, 0, peer, 0, shared);
            if (random.nextInt(8) == 0) {
                System.arraycopy(client, 0, peer, 0, length - 2); // the same address
            }
            int offset = random.nextInt(5);
            byte[] packed = new byte[offset + length];
            System.arraycopy(peer, 0, packed, offset, length);
            assertThat(priorities.of(client, packed, offset)).as("client %s peer %s", java.util.HexFormat.of().formatHex(client),
                    java.util.HexFormat.of().formatHex(peer)).isEqualTo(byTheText(client, peer));
        }
    }
}
