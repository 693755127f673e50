package net.ctracker.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import net.ctracker.overlay.Application;
import net.ctracker.overlay.LookupResult;
import net.ctracker.overlay.NodeSnapshot;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;

/** The API an application (the tracker) and the admin layer use, exercised on a small simulated overlay. */
@ExtendWith(SimSeeds.class)
class OverlayApplicationTest {

    private static final String APP = "test.app";

    /** Records upcalls; optionally stops messages at nodes whose key starts with {@code stopPrefix}. */
    static final class Recorder implements Application {
        final NodeHandle self;
        final List<String> events;
        Recorder(NodeHandle self, List<String> events) {
            this.self = self;
            this.events = events;
        }

        @Override
        public Route forward(NodeKey key, Route message, NodeHandle nextHop) {
            events.add("forward " + self.key().shortString() + " -> " + nextHop.key().shortString());
            String text = new String(message.payload(), StandardCharsets.UTF_8);
            if (text.equals("stop")) {
                events.add("stopped " + self.key().shortString());
                return null;
            }
            return new Route(message.key(), message.origin(), message.hops(), message.appType(),
                    (text + "+" + self.key().shortString()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void deliver(NodeKey key, Route message) {
            events.add("deliver " + self.key().shortString() + " " + new String(message.payload(), StandardCharsets.UTF_8)
                    + " hops=" + message.hops());
        }

        @Override
        public void direct(NodeHandle from, Direct message) {
            events.add("direct " + self.key().shortString() + " from " + from.key().shortString() + " "
                    + new String(message.payload(), StandardCharsets.UTF_8));
        }

        @Override
        public void update(NodeHandle node, boolean joined) {
            events.add("update " + self.key().shortString() + " " + node.key().shortString() + " " + joined);
        }
    }

    private static SimOverlay overlayWithApps(long seed, List<String> events) {
        SimOverlay overlay = new SimOverlay(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(),
                LatencyModel.plane(3, 0.05, 2, 100));
        overlay.joinOneAtATime(60, 300);
        for (SimHost h : overlay.hosts()) {
            h.node().register(APP, new Recorder(h.handle(), events));
        }
        return overlay;
    }

    @Test
    void routedMessagesAreSeenAtEveryHopModifiedAndDeliveredAtTheRoot(long seed) {
        List<String> events = new ArrayList<>();
        SimOverlay overlay = overlayWithApps(seed, events);
        NodeKey key = NodeKey.random(overlay.random());
        SimHost root = overlay.trueRoot(key);
        SimHost origin = overlay.live().stream().filter(h -> h != root).findFirst().orElseThrow();
        int hops = overlay.walk(origin, key).hops();

        origin.node().route(key, APP, "hello".getBytes(StandardCharsets.UTF_8));
        overlay.run(5_000);

        List<String> routeEvents = events.stream().filter(e -> !e.startsWith("update")).toList();
        assertThat(routeEvents).hasSize(hops + 1);
        assertThat(routeEvents.get(0)).startsWith("forward " + origin.handle().key().shortString());
        String last = routeEvents.get(routeEvents.size() - 1);
        assertThat(last).startsWith("deliver " + root.handle().key().shortString() + " hello+")
                .endsWith("hops=" + hops);
    }

    @Test
    void forwardMayStopAMessage(long seed) {
        List<String> events = new ArrayList<>();
        SimOverlay overlay = overlayWithApps(seed, events);
        NodeKey key = NodeKey.random(overlay.random());
        SimHost root = overlay.trueRoot(key);
        SimHost origin = overlay.live().stream().filter(h -> h != root).findFirst().orElseThrow();

        origin.node().route(key, APP, "stop".getBytes(StandardCharsets.UTF_8));
        overlay.run(5_000);

        assertThat(events).contains("stopped " + origin.handle().key().shortString());
        assertThat(events).noneMatch(e -> e.startsWith("deliver"));
    }

    @Test
    void directMessagesAndLookupsReachTheirTarget(long seed) {
        List<String> events = new ArrayList<>();
        SimOverlay overlay = overlayWithApps(seed, events);
        SimHost a = overlay.live().get(1);
        SimHost b = overlay.live().get(2);

        CompletableFuture<Void> acked = a.node().sendDirect(b.handle(), APP, "peers".getBytes(StandardCharsets.UTF_8));
        NodeKey key = NodeKey.random(overlay.random());
        CompletableFuture<LookupResult> lookup = a.node().lookup(key);
        overlay.run(5_000);

        assertThat(acked).isCompleted();
        assertThat(events).contains("direct " + b.handle().key().shortString() + " from "
                + a.handle().key().shortString() + " peers");
        LookupResult result = lookup.join();
        assertThat(result.key()).isEqualTo(key);
        assertThat(result.root()).isEqualTo(overlay.trueRoot(key).handle());
        assertThat(result.path()).first().isEqualTo(a.handle().key());
        assertThat(result.path()).last().isEqualTo(result.root().key());
        assertThat(result.hops()).isEqualTo(result.path().size() - 1).isEqualTo(overlay.walk(a, key).hops());
    }

    @Test
    void messagesTheWireCannotCarryAreRefusedAtTheCall(long seed) {
        SimOverlay overlay = overlayWithApps(seed, new ArrayList<>());
        SimHost a = overlay.live().get(1);
        byte[] tooBig = new byte[MessageCodec.MAX_PAYLOAD_BYTES + 1];
        assertThatThrownBy(() -> a.node().route(NodeKey.ZERO, APP, tooBig)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.node().sendDirect(a.handle(), "x".repeat(MessageCodec.MAX_LABEL_BYTES + 1), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leafSetChangesAreReportedAndSnapshotsDescribeTheNode(long seed) {
        List<String> events = new ArrayList<>();
        SimOverlay overlay = overlayWithApps(seed, events);
        SimHost newcomer = overlay.addNode();
        overlay.runUntilJoined(newcomer, 10_000);
        overlay.run(2_000);

        assertThat(events).anyMatch(e -> e.startsWith("update ") && e.contains(newcomer.handle().key().shortString() + " true"));

        NodeSnapshot s = newcomer.node().snapshotNow();
        assertThat(s.joined()).isTrue();
        assertThat(s.key()).isEqualTo(newcomer.handle().key());
        assertThat(s.address()).isEqualTo(newcomer.handle().address());
        assertThat(s.leafSet()).hasSize(16);
        assertThat(s.leafSet()).allSatisfy(l -> assertThat(l.rttMs()).isPositive());
        assertThat(s.routingTable()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.row()).isEqualTo(newcomer.handle().key().sharedPrefixLength(t.key()));
            assertThat(t.col()).isEqualTo(t.key().digit(t.row()));
        });
        assertThat(s.counters().sent().get("UPDATE")).isPositive();
        assertThat(newcomer.node().snapshot()).isSameAs(s);
    }

    @Test
    void closestToNamesTheRootOfEveryCoveredKeyAndItsNearestLeaves(long seed) {
        SimOverlay overlay = overlayWithApps(seed, new ArrayList<>());
        overlay.run(10_000);
        int covered = 0;
        for (int k = 0; k < 200; k++) {
            NodeKey key = NodeKey.random(overlay.random());
            SimHost root = overlay.trueRoot(key);
            for (SimHost h : overlay.live()) {
                List<NodeHandle> closest = h.node().closestTo(key, 4);
                assertThat(closest).hasSize(4).doesNotHaveDuplicates();
                for (int i = 1; i < closest.size(); i++) {
                    assertThat(NodeKey.compareByDistance(key, closest.get(i - 1).key(), closest.get(i).key()))
                            .as("ordered by ring distance to %s", key).isNegative();
                }
                List<NodeHandle> known = new ArrayList<>(h.node().leafSetClockwise());
                known.addAll(h.node().leafSetCounterClockwise());
                known.add(h.handle());
                assertThat(known).containsAll(closest);
                if (h.node().coversKey(key)) {
                    covered++;
                    assertThat(closest.get(0)).as("root of %s as seen by %s", key, h).isEqualTo(root.handle());
                }
            }
        }
        // 60 nodes, 16 leaves: each node covers about 17/60 of the ring
        assertThat(covered).isBetween(200 * 60 / 8, 200 * 60 / 2);
        SimHost any = overlay.live().get(0);
        assertThat(any.node().closestTo(NodeKey.ZERO, 100)).hasSize(17);
        assertThat(any.node().closestTo(any.handle().key(), 1)).containsExactly(any.handle());
    }

    @Test
    void aNodeThatKnowsTheWholeRingCoversEveryKey(long seed) {
        SimOverlay overlay = new SimOverlay(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(),
                LatencyModel.constant(10));
        overlay.joinOneAtATime(5, 300);
        overlay.run(5_000);
        for (SimHost h : overlay.live()) {
            for (int k = 0; k < 50; k++) {
                NodeKey key = NodeKey.random(overlay.random());
                assertThat(h.node().coversKey(key)).isTrue();
                assertThat(h.node().closestTo(key, 1)).containsExactly(overlay.trueRoot(key).handle());
            }
        }
    }

    @Test
    void theRttListenerHearsTheModelledRoundTripOfEveryAcknowledgedMessage(long seed) {
        SimOverlay overlay = new SimOverlay(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(),
                LatencyModel.constant(10));
        overlay.joinOneAtATime(20, 300);
        SimHost watched = overlay.live().get(3);
        List<String> samples = new ArrayList<>();
        long acknowledgedBefore = acknowledged(watched);
        watched.node().setRttListener((peer, rtt) -> samples.add(peer.address() + " " + rtt));
        overlay.run(2 * 60_000);
        CompletableFuture<Void> direct = watched.node().sendDirect(overlay.live().get(7).handle(), APP, new byte[] {1});
        overlay.run(1_000);

        assertThat(direct).isCompleted();
        // every acknowledged message here went to a node whose handle the sender knew
        assertThat(samples).hasSize((int) (acknowledged(watched) - acknowledgedBefore)).isNotEmpty()
                .allSatisfy(s -> assertThat(s).startsWith("sim://").endsWith(" 10.0"))
                .contains("sim://7 10.0");
        watched.node().setRttListener(null);
        int before = samples.size();
        overlay.run(60_000);
        assertThat(samples).hasSize(before);
    }

    private static long acknowledged(SimHost h) {
        return h.node().snapshotNow().counters().acknowledged().values().stream().mapToLong(Long::longValue).sum();
    }
}
