package net.ctracker.overlay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static final NodeKey SELF = NodeKey.parse("a" + "0".repeat(39));

    private static Neighbour neighbour(String hex, double rtt) {
        Neighbour n = new Neighbour(new NodeHandle(NodeKey.parse((hex + "0".repeat(40)).substring(0, 40)), "sim://" + hex, "r"),
                new RttEstimator(10, 1000, 100, 0), 0.2, 0);
        if (!Double.isNaN(rtt)) {
            n.rtt().sample(rtt);
        }
        return n;
    }

    @Test
    void placesEntriesByPrefixAndDigit() {
        RoutingTable table = new RoutingTable(SELF, 3, true);
        table.offer(neighbour("3", 50));
        table.offer(neighbour("ab", 50));
        table.forEach(slot -> {
            if (slot.neighbour().key().toString().startsWith("3")) {
                assertThat(slot.row()).isZero();
                assertThat(slot.column()).isEqualTo(3);
            } else {
                assertThat(slot.row()).isEqualTo(1);
                assertThat(slot.column()).isEqualTo(0xb);
            }
        });
        assertThat(table.offer(neighbour("a", 1)).admitted()).as("own key").isFalse();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void proximitySelectionReplacesTheWorstOnlyWithAFasterCandidate() {
        RoutingTable table = new RoutingTable(SELF, 3, true);
        table.offer(neighbour("31", 50));
        table.offer(neighbour("32", 80));
        table.offer(neighbour("33", 20));
        assertThat(table.wouldAdmit(neighbour("34", 90).key(), 90)).isFalse();
        assertThat(table.offer(neighbour("34", 90)).admitted()).isFalse();
        RoutingTable.Offer offer = table.offer(neighbour("35", 30));
        assertThat(offer.admitted()).isTrue();
        assertThat(offer.evicted().key().toString()).startsWith("32");
        assertThat(table.best(0, 3, n -> true, 0.25).key().toString()).startsWith("33");
    }

    @Test
    void withoutProximityAFullCellKeepsItsEntries() {
        RoutingTable table = new RoutingTable(SELF, 1, false);
        table.offer(neighbour("31", 80));
        assertThat(table.offer(neighbour("32", 5)).admitted()).isFalse();
        assertThat(table.remove(neighbour("31", 80).key())).isTrue();
        assertThat(table.offer(neighbour("32", 5)).admitted()).isTrue();
    }

    @Test
    void bestPrefersLinkQualityThenRtt() {
        RoutingTable table = new RoutingTable(SELF, 3, true);
        Neighbour fastButLossy = neighbour("31", 10);
        Neighbour slowReliable = neighbour("32", 90);
        table.offer(fastButLossy);
        table.offer(slowReliable);
        for (int i = 0; i < 5; i++) {
            fastButLossy.unacknowledged();
        }
        assertThat(table.best(0, 3, n -> true, 0.25)).isSameAs(slowReliable);
        assertThat(table.best(0, 3, n -> n != slowReliable, 0.25)).isSameAs(fastButLossy);
    }
}
