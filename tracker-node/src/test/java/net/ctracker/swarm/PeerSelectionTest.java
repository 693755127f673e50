package net.ctracker.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PeerSelectionTest {

    private static byte[] v4(int host, int port) {
        return ByteBuffer.allocate(6).putInt(host).putShort((short) port).array();
    }

    private static byte[] v6(int host, int port) {
        return ByteBuffer.allocate(18).putLong(0x20010db8_00000000L).putLong(host).putShort((short) port).array();
    }

    private static final byte[] ID = new byte[20];

    @Test
    void retainKeepsTheChosenOfBothFamiliesWithTheirIdsAndForgetsTheRest() {
        PeerSelection selection = new PeerSelection(100);
        for (int i = 0; i < 10; i++) {
            selection.add(v4(i, 1), 0, 6, ByteBuffer.allocate(20).putInt(i).array(), 0);
        }
        for (int i = 0; i < 6; i++) {
            selection.add(v6(i, 1), 0, 18, ByteBuffer.allocate(20).putInt(100 + i).array(), 0);
        }
        assertThat(selection.contains(v4(3, 1))).isTrue(); // the set of chosen endpoints exists before retain
        int[] keep = {1, 4, 9, 10, 15}; // IPv4 1, 4, 9; IPv6 0, 5
        selection.retain(keep, keep.length);
        assertThat(selection.v4().count()).isEqualTo(3);
        assertThat(selection.v6().count()).isEqualTo(2);
        int[] v4Kept = {1, 4, 9};
        for (int j = 0; j < 3; j++) {
            ByteBuffer e = ByteBuffer.wrap(selection.v4().endpoints(), j * 6, 6);
            assertThat(e.getInt()).isEqualTo(v4Kept[j]);
            assertThat(ByteBuffer.wrap(selection.v4().peerIds(), j * 20, 20).getInt()).as("the id moved with it").isEqualTo(v4Kept[j]);
        }
        int[] v6Kept = {0, 5};
        for (int j = 0; j < 2; j++) {
            assertThat(ByteBuffer.wrap(selection.v6().endpoints(), j * 18 + 8, 8).getLong()).isEqualTo(v6Kept[j]);
            assertThat(ByteBuffer.wrap(selection.v6().peerIds(), j * 20, 20).getInt()).isEqualTo(100 + v6Kept[j]);
        }
        assertThat(selection.contains(v4(4, 1))).isTrue();
        assertThat(selection.contains(v4(3, 1))).as("dropped").isFalse();
        assertThat(selection.contains(v6(5, 1))).isTrue();
        assertThat(selection.contains(v6(1, 1))).isFalse();
        assertThat(selection.add(v4(3, 1), 0, 6, ID, 0)).as("room again for a dropped one").isTrue();
    }

    @Test
    void retainOfIpv4PositionsKeepsThoseInTheirOrderWithTheirIdsAndNoIpv6() {
        for (boolean withIds : new boolean[] {true, false}) {
            PeerSelection selection = new PeerSelection(100).withPeerIds(withIds);
            for (int i = 0; i < 10; i++) {
                selection.add(v4(i, 1), 0, 6, ByteBuffer.allocate(20).putInt(i).array(), 0);
            }
            selection.add(v6(7, 1), 0, 18, ID, 0);
            assertThat(selection.contains(v4(3, 1))).isTrue(); // the set of chosen endpoints exists before
            int[] kept = {9, 0, 4, 7};
            selection.retain(kept, kept.length);
            assertThat(selection.v4().count()).isEqualTo(4);
            assertThat(selection.v6().count()).as("IPv6 dropped").isZero();
            for (int j = 0; j < kept.length; j++) {
                assertThat(ByteBuffer.wrap(selection.v4().endpoints(), j * 6, 6).getInt()).isEqualTo(kept[j]);
                if (withIds) {
                    assertThat(ByteBuffer.wrap(selection.v4().peerIds(), j * 20, 20).getInt()).as("the id moved with it")
                            .isEqualTo(kept[j]);
                }
            }
            assertThat(selection.contains(v4(4, 1))).isTrue();
            assertThat(selection.contains(v4(3, 1))).as("dropped").isFalse();
            assertThat(selection.add(v4(3, 1), 0, 6, ID, 0)).as("room again for a dropped one").isTrue();
        }
    }

    @Test
    void retainRefusesAPositionItDoesNotHold() {
        PeerSelection selection = new PeerSelection(10);
        selection.add(v4(1, 1), 0, 6, ID, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> selection.retain(new int[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addsEachEndpointOnceAndKnowsWhatItHolds() {
        PeerSelection selection = new PeerSelection(1000);
        for (int i = 0; i < 600; i++) {
            assertThat(selection.add(v4(i, 1), 0, 6, ID, 0)).isTrue();
        }
        for (int i = 0; i < 600; i++) {
            assertThat(selection.add(v4(i, 1), 0, 6, ID, 0)).as("a second time: %d", i).isFalse();
            assertThat(selection.contains(v4(i, 1))).isTrue();
            assertThat(selection.contains(v4(i, 2))).isFalse();
        }
        assertThat(selection.add(v6(1, 1), 0, 18, ID, 0)).isTrue();
        assertThat(selection.contains(v6(1, 1))).isTrue();
        assertThat(selection.contains(v6(2, 1))).isFalse();
        assertThat(selection.v4().count()).isEqualTo(600);
        assertThat(selection.total()).isEqualTo(601);
    }

    @Test
    void peersCutOrClearedAreNoLongerHeldAndMayComeBack() {
        PeerSelection selection = new PeerSelection(100);
        for (int i = 0; i < 50; i++) {
            selection.add(v4(i, 1), 0, 6, ID, 0);
        }
        selection.keepAtMost(20, true);
        for (int i = 0; i < 50; i++) {
            assertThat(selection.contains(v4(i, 1))).as("peer %d", i).isEqualTo(i < 20);
        }
        // peers 20.. come back at other indexes, new ones take the places of the cut ones
        for (int i = 49; i >= 20; i--) {
            assertThat(selection.add(v4(i, 1), 0, 6, ID, 0)).isTrue();
        }
        assertThat(selection.add(v4(25, 1), 0, 6, ID, 0)).isFalse();
        selection.clear();
        assertThat(selection.contains(v4(0, 1))).isFalse();
        assertThat(selection.add(v4(0, 1), 0, 6, ID, 0)).isTrue();
        assertThat(selection.contains(v4(0, 1))).isTrue();
    }

    @Test
    void agreesWithASetOverManyReusedAnnounces() {
        PeerSelection selection = new PeerSelection(300);
        SplittableRandom random = new SplittableRandom(23);
        for (int announce = 0; announce < 2000; announce++) {
            selection.clear();
            Set<Integer> model = new HashSet<>();
            int adds = random.nextInt(400);
            for (int i = 0; i < adds; i++) {
                int host = random.nextInt(500);
                if (random.nextInt(50) == 0) {
                    int keep = random.nextInt(model.size() + 1);
                    selection.keepAtMost(keep, true);
                    model.clear();
                    ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
                    for (int k = 0; k < selection.v4().count(); k++) {
                        model.add(endpoints.getInt(k * 6));
                    }
                }
                boolean added = selection.add(v4(host, 1), 0, 6, ID, 0);
                assertThat(added).isEqualTo(!model.contains(host) && model.size() < 300);
                if (added) {
                    model.add(host);
                }
                int probe = random.nextInt(500);
                assertThat(selection.contains(v4(probe, 1))).isEqualTo(model.contains(probe));
            }
            for (int host = 0; host < 500; host++) {
                assertThat(selection.contains(v4(host, 1))).isEqualTo(model.contains(host));
            }
        }
    }
}
