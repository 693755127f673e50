package net.ctracker.announce.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ConnectionIdsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ConnectionIds ids = new ConnectionIds(now::get, new SplittableRandom(7), 60_000);
    private final byte[] alice = {10, 0, 0, 1};
    private final byte[] bob = {10, 0, 0, 2};

    @Test
    void sipHashMatchesThePapersVectors() {
        // SipHash-2-4 with key 00..0f: the paper's appendix (message 00..0e) and the reference vectors
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        byte[] message = new byte[15];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        assertThat(SipHash.hash(k0, k1, message, 0, 15)).isEqualTo(0xa129ca6149be45e5L);
        assertThat(SipHash.hash(k0, k1, message, 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        byte[] eight = HexFormat.of().parseHex("0001020304050607");
        assertThat(SipHash.hash(k0, k1, eight, 0, 8)).isEqualTo(0x93f5f5799a932462L);
    }

    @Test
    void anIdIsValidOnlyFromTheAddressItWasIssuedTo() {
        long id = ids.issue(alice);
        assertThat(ids.isValid(id, alice)).isTrue();
        assertThat(ids.isValid(id, bob)).isFalse();
        assertThat(ids.isValid(id + 1, alice)).isFalse();
        byte[] aliceV6 = new byte[16];
        System.arraycopy(alice, 0, aliceV6, 12, 4);
        assertThat(ids.isValid(id, aliceV6)).isFalse();
    }

    @Test
    void anIdLivesOneToTwoWindowsThenExpires() {
        now.set(60_000 * 100 + 59_000); // late in a window: the ID still has the whole next one
        long id = ids.issue(alice);
        now.addAndGet(2_000);
        assertThat(ids.isValid(id, alice)).as("next window").isTrue();
        now.addAndGet(58_000);
        assertThat(ids.isValid(id, alice)).as("just before the end of the next window").isTrue();
        now.addAndGet(1_000);
        assertThat(ids.isValid(id, alice)).as("two windows on").isFalse();
    }

    @Test
    void aLongSilenceInvalidatesEverythingIssuedBefore() {
        long id = ids.issue(alice);
        now.addAndGet(10 * 60_000);
        assertThat(ids.isValid(id, alice)).isFalse();
        long fresh = ids.issue(alice);
        assertThat(fresh).isNotEqualTo(id);
        assertThat(ids.isValid(fresh, alice)).isTrue();
    }

    @Test
    void anotherProcessKnowsNoneOfThisOnesIds() {
        ConnectionIds other = new ConnectionIds(now::get, new SplittableRandom(8), 60_000);
        assertThat(other.isValid(ids.issue(alice), alice)).isFalse();
    }
}
