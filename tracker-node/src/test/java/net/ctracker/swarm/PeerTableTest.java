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
