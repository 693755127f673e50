package net.ctracker.overlay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LeafSetTest {

    private static Neighbour neighbour(NodeKey k) {
        return new Neighbour(new NodeHandle(k, "sim://" + k.shortString(), "r"), new RttEstimator(10, 1000, 100, 0), 0.2, 0);
    }

    @Test
    void keepsTheNearestOnEachSideInOrder() {
        SplittableRandom random = new SplittableRandom(3);
        NodeKey self = NodeKey.random(random);
        LeafSet leaves = new LeafSet(self, 8);
        List<NodeKey> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            NodeKey k = NodeKey.random(random);
            all.add(k);
            leaves.offer(neighbour(k), new ArrayList<>());
        }
        List<NodeKey> cw = all.stream().sorted(Comparator.comparing(self::clockwiseTo)).limit(4).toList();
        List<NodeKey> ccw = all.stream().sorted(Comparator.comparing(k -> k.clockwiseTo(self))).limit(4).toList();
        assertThat(leaves.clockwise()).extracting(Neighbour::key).containsExactlyElementsOf(cw);
        assertThat(leaves.counterClockwise()).extracting(Neighbour::key).containsExactlyElementsOf(ccw);
        assertThat(leaves.covers(cw.get(2))).isTrue();
        assertThat(leaves.covers(self)).isTrue();
    }

    @Test
    void smallRingPutsEveryoneOnBothSidesAndCoversEverything() {
        SplittableRandom random = new SplittableRandom(4);
        NodeKey self = NodeKey.random(random);
        LeafSet leaves = new LeafSet(self, 16);
        for (int i = 0; i < 5; i++) {
            leaves.offer(neighbour(NodeKey.random(random)), new ArrayList<>());
        }
        assertThat(leaves.clockwise()).hasSize(5);
        assertThat(leaves.counterClockwise()).hasSize(5);
        assertThat(leaves.size()).isEqualTo(5);
        assertThat(leaves.covers(NodeKey.random(random))).isTrue();
    }

    @Test
    void evictsTheFarthestAndRemovesFromBothSides() {
        NodeKey self = NodeKey.parse("8" + "0".repeat(39));
        LeafSet leaves = new LeafSet(self, 2);
        List<Neighbour> evicted = new ArrayList<>();
        leaves.offer(neighbour(NodeKey.parse("9" + "0".repeat(39))), evicted);
        leaves.offer(neighbour(NodeKey.parse("7" + "0".repeat(39))), evicted);
        assertThat(leaves.offer(neighbour(NodeKey.parse("88" + "0".repeat(38))), evicted)).isTrue();
        assertThat(evicted).extracting(n -> n.key().toString().substring(0, 1)).contains("9");
        assertThat(leaves.wouldAdmit(NodeKey.parse("a" + "0".repeat(39)))).isFalse();
        assertThat(leaves.remove(NodeKey.parse("88" + "0".repeat(38)))).isTrue();
        assertThat(leaves.contains(NodeKey.parse("88" + "0".repeat(38)))).isFalse();
    }
}
