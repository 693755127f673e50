package net.ctracker.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PeerTableTest {

    private static byte[] endpoint(int ip, int port) {
        return ByteBuffer.allocate(6).putInt(ip).putShort((short) port).array();
    }

    private static byte[] id(int n) {
        return ByteBuffer.allocate(20).putInt(n).array();
    }

    @Test
    void behavesLikeAMapUnderRandomInsertsAndRemoves() {
        SplittableRandom random = new SplittableRandom(7);
        PeerTable table = new PeerTable(4, 99);
        Map<Long, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int ip = random.nextInt(64);  // few keys: many collisions, removals and re-inserts
            int port = 1 + random.nextInt(8);
            long key = (long) ip << 16 | port;
            byte[] ep = endpoint(ip, port);
            int slot = table.find(ep);
            assertThat(slot >= 0).as("present at step %d", step).isEqualTo(model.containsKey(key));
            if (slot >= 0 && random.nextBoolean()) {
                table.remove(slot);
                model.remove(key);
            } else if (slot < 0) {
                table.insert(ep, id(step), step + 1);
                model.put(key, step + 1);
            } else {
                table.refresh(slot, id(step), step + 1);
                model.put(key, step + 1);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            int slot = table.find(endpoint((int) (e.getKey() >>> 16), (int) (e.getKey() & 0xffff)));
            assertThat(table.tickAt(slot)).isEqualTo(e.getValue());
        }
    }

    @Test
    void selectionIsDistinctBoundedAndSkipsTheRequester() {
        PeerTable table = new PeerTable(4, 1);
        for (int i = 0; i < 1000; i++) {
            table.insert(endpoint(i, 6881), id(i), 10);
        }
        int self = table.find(endpoint(5, 6881));
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 50; round++) {
            PeerSelection selection = new PeerSelection(200);
            int got = table.select(random, 200, self, 0, selection.v4());
            assertThat(got).isEqualTo(200);
            Set<Integer> ips = new HashSet<>();
            ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
            for (int i = 0; i < got; i++) {
                ips.add(endpoints.getInt(i * 6));
            }
            assertThat(ips).hasSize(200).doesNotContain(5);
        }
    }

    @Test
    void selectionSpreadsOverTheWholeSwarm() {
        PeerTable table = new PeerTable(4, 1);
        for (int i = 0; i < 100; i++) {
            table.insert(endpoint(i, 1), id(i), 10);
        }
        SplittableRandom random = new SplittableRandom(11);
        int[] hits = new int[100];
        for (int round = 0; round < 2000; round++) {
            PeerSelection selection = new PeerSelection(10);
            table.select(random, 10, -1, 0, selection.v4());
            ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
            for (int i = 0; i < 10; i++) {
                hits[endpoints.getInt(i * 6)]++;
            }
        }
        // 20,000 picks over 100 peers: each expects 200; a biased walk would starve some
        for (int h : hits) {
            assertThat(h).isBetween(120, 280);
        }
    }

    @Test
    void everyPeerButTheRequesterIsDrawnEquallyOften() {
        PeerTable table = new PeerTable(4, 2);
        for (int i = 0; i < 97; i++) {
            table.insert(endpoint(i, 1), id(i), 10);
        }
        int self = table.find(endpoint(40, 1));
        SplittableRandom random = new SplittableRandom(13);
        int[] hits = new int[97];
        for (int round = 0; round < 4800; round++) {
            PeerSelection selection = new PeerSelection(30);
            assertThat(table.select(random, 30, self, 0, selection.v4())).isEqualTo(30);
            ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
            for (int i = 0; i < 30; i++) {
                hits[endpoints.getInt(i * 6)]++;
            }
        }
        // 144,000 picks over 96 candidates: each expects 1,500 (stretches of 3 or 4 must not show)
        for (int i = 0; i < 97; i++) {
            if (i == 40) {
                assertThat(hits[i]).isZero();
            } else {
                assertThat(hits[i]).as("peer %d", i).isBetween(1350, 1650);
            }
        }
    }

    @Test
    void boundedDrawsAreUniformAndRedrawTheValuesThatWouldBiasThem() {
        SplittableRandom random = new SplittableRandom(17);
        for (int bound : new int[] {1, 2, 3, 7, 10}) {
            int[] hits = new int[bound];
            for (int i = 0; i < 70_000; i++) {
                hits[PeerTable.below(random, bound)]++;
            }
            for (int v = 0; v < bound; v++) {
                assertThat(hits[v]).as("bound %d, value %d", bound, v).isBetween(70_000 / bound * 95 / 100, 70_000 / bound * 105 / 100);
            }
        }
        // 2^32 mod 3 = 1: the random value 0 (low half 0 after multiplying by 3) is one of the values that would favour 0
        java.util.Iterator<Integer> values = java.util.List.of(0, 0x5555_5556).iterator();
        java.util.random.RandomGenerator scripted = () -> (long) values.next() << 32;
        assertThat(PeerTable.below(scripted, 3)).isEqualTo(1);
        assertThat(values.hasNext()).as("the first value was drawn again").isFalse();
        java.util.random.RandomGenerator max = () -> -1L;
        assertThat(PeerTable.below(max, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE - 1);
    }

    @Test
    void neighboursInTheTableAreNotHandedOutAsABlock() {
        PeerTable table = new PeerTable(4, 3);
        for (int i = 0; i < 200; i++) {
            table.insert(endpoint(i, 1), id(i), 10);
        }
        SplittableRandom random = new SplittableRandom(17);
        int both = 0;
        int first = 0;
        for (int round = 0; round < 10_000; round++) {
            PeerSelection selection = new PeerSelection(50);
            table.select(random, 50, -1, 0, selection.v4());
            ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
            boolean has100 = false;
            boolean has101 = false;
            for (int i = 0; i < 50; i++) {
                has100 |= endpoints.getInt(i * 6) == 100;
                has101 |= endpoints.getInt(i * 6) == 101;
            }
            first += has100 ? 1 : 0;
            both += has100 && has101 ? 1 : 0;
        }
        // each is drawn a quarter of the time; drawn independently, both would be a sixteenth
        assertThat(first).isBetween(2300, 2700);
        assertThat(both).isLessThan(1000);
    }

    @Test
    void expiredPeersNotYetSweptAreSkippedAndTheSampleIsStillFull() {
        PeerTable table = new PeerTable(4, 4);
        for (int i = 0; i < 1000; i++) {
            // expired peers alone (stretches of them) and mixed with live ones
            boolean expired = i < 300 || i % 3 == 0;
            table.insert(endpoint(i, 1), id(i), expired ? 100 : 200);
        }
        int live = 0;
        for (int i = 0; i < 1000; i++) {
            live += table.tickAt(table.find(endpoint(i, 1))) > 150 ? 1 : 0;
        }
        SplittableRandom random = new SplittableRandom(19);
        for (int want : new int[] {10, 100, 466, 467, 900}) {
            for (int round = 0; round < 50; round++) {
                PeerSelection selection = new PeerSelection(1000);
                int got = table.select(random, want, -1, 150, selection.v4());
                assertThat(got).isEqualTo(Math.min(want, live));
                Set<Integer> ips = new HashSet<>();
                ByteBuffer endpoints = ByteBuffer.wrap(selection.v4().endpoints());
                for (int i = 0; i < got; i++) {
                    int ip = endpoints.getInt(i * 6);
                    assertThat(ip >= 300 && ip % 3 != 0).as("peer %d is live", ip).isTrue();
                    ips.add(ip);
                }
                assertThat(ips).hasSize(got);
            }
        }
    }

    @Test
    void removingMovesTheLastPeerWithItsIdAndTick() {
        PeerTable table = new PeerTable(4, 6);
        for (int i = 0; i < 20; i++) {
            table.insert(endpoint(i, 1), id(i), 100 + i);
        }
        table.remove(table.find(endpoint(3, 1)));
        table.remove(table.find(endpoint(19, 1)));
        assertThat(table.size()).isEqualTo(18);
        java.util.Map<Integer, Integer> seen = new HashMap<>();
        table.forEach((ep, peerId, tick) -> {
            int ip = ByteBuffer.wrap(ep).getInt();
            assertThat(ByteBuffer.wrap(peerId).getInt()).isEqualTo(ip);
            seen.put(ip, tick);
        });
        assertThat(seen).hasSize(18).doesNotContainKeys(3, 19);
        seen.forEach((ip, tick) -> assertThat(tick).isEqualTo(100 + ip));
    }

    @Test
    void expiredPeersAreNeitherSelectedNorKeptBySweep() {
        PeerTable table = new PeerTable(4, 5);
        for (int i = 0; i < 50; i++) {
            table.insert(endpoint(i, 1), id(i), i < 25 ? 100 : 200);
        }
        PeerSelection selection = new PeerSelection(100);
        assertThat(table.select(new SplittableRandom(1), 100, -1, 150, selection.v4())).isEqualTo(25);
        assertThat(table.removeUpTo(150, PeerTable.RemovalSink.NONE)).isEqualTo(25);
        assertThat(table.size()).isEqualTo(25);
        for (int i = 0; i < 50; i++) {
            assertThat(table.find(endpoint(i, 1)) >= 0).isEqualTo(i >= 25);
        }
    }

    @Test
    void shrinksAfterMostPeersLeave() {
        PeerTable table = new PeerTable(4, 5);
        for (int i = 0; i < 10_000; i++) {
            table.insert(endpoint(i, 1), id(i), i < 9_990 ? 1 : 2);
        }
        int big = table.capacity();
        table.removeUpTo(1, PeerTable.RemovalSink.NONE);
        assertThat(table.capacity()).isLessThan(big / 100);
        assertThat(table.size()).isEqualTo(10);
    }
}
