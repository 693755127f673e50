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
}
