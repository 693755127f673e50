package net.ctracker.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every transport must give the overlay, as seen by its users: nodes join and know each
 * other, lookups agree on the true root, direct and routed application messages arrive intact and
 * once, an unreachable node is reported as a failure, and a node that leaves is forgotten. Each
 * transport (the simulator's and HTTP) runs this same suite through a {@link Cluster}. The tests
 * share one settled cluster but not each other's effects: each counts only its own messages and
 * starts its own leaver, and they run in random order to keep it so (to replay an order, set
 * junit.jupiter.execution.order.random.seed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.Random.class)
public abstract class OverlayContractTest {

    /** A handful of overlay nodes on one transport, and a way to wait for the overlay to act. */
    protected interface Cluster extends AutoCloseable {
        /** Starts one more node, joining through those already started. */
        OverlayNode add();

        /** Lets the overlay run until {@code condition} holds; fails after {@code limit}. */
        void awaitTrue(String what, BooleanSupplier condition, Duration limit);

        /** Lets the overlay run for {@code period}, failing as soon as {@code condition} stops holding. */
        void assertHolds(String what, BooleanSupplier condition, Duration period);

        /** Makes {@code node} leave politely and stop. */
        void stop(OverlayNode node);

        /** A handle whose address nobody answers. */
        NodeHandle unreachable();

        @Override
        void close();
    }

    protected abstract Cluster newCluster();

    private static final int NODES = 4;
    private static final String APP = "contract";
    private static final Duration LIMIT = Duration.ofSeconds(40);

    private Cluster cluster;
    private final List<OverlayNode> nodes = new ArrayList<>();
    private final Map<NodeKey, List<byte[]>> delivered = new ConcurrentHashMap<>();
    private final Map<NodeKey, List<byte[]>> directs = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(77);

    @BeforeAll
    void startCluster() {
        cluster = newCluster();
        for (int i = 0; i < NODES; i++) {
            nodes.add(startNode("node " + i));
        }
        // every test may rely on a settled overlay of NODES nodes; none relies on another test
        cluster.awaitTrue("every leaf set complete", this::leafSetsComplete, LIMIT);
    }

    /** Starts one more node with the contract's application registered, and waits until it has joined. */
    private OverlayNode startNode(String what) {
        OverlayNode node = cluster.add();
        NodeKey key = node.handle().key();
        delivered.put(key, new java.util.concurrent.CopyOnWriteArrayList<>());
        directs.put(key, new java.util.concurrent.CopyOnWriteArrayList<>());
        node.register(APP, new Application() {
            @Override
            public void deliver(NodeKey k, Route message) {
                delivered.get(key).add(message.payload());
            }

            @Override
            public void direct(NodeHandle from, Direct message) {
                directs.get(key).add(message.payload());
            }
        });
        cluster.awaitTrue(what + " joined", () -> node.snapshot().joined(), LIMIT);
        return node;
    }

    private boolean leafSetsComplete() {
        return nodes.stream().allMatch(n -> {
            Set<NodeKey> leaves = new HashSet<>();
            n.snapshot().leafSet().forEach(l -> leaves.add(l.key()));
            return leaves.size() == NODES - 1;
        });
    }

    /** A payload no other test sends, so each test counts only its own messages. */
    private static byte[] payload(String test) {
        return (test + "-" + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long count(Map<NodeKey, List<byte[]>> received, byte[] payload) {
        return received.values().stream().flatMap(List::stream).filter(p -> java.util.Arrays.equals(p, payload)).count();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void joinedNodesHoldEachOtherInTheirLeafSets() {
        for (OverlayNode n : nodes) {
            Set<NodeKey> leaves = new HashSet<>();
            n.snapshot().leafSet().forEach(l -> leaves.add(l.key()));
            Set<NodeKey> others = new HashSet<>();
            nodes.stream().filter(o -> o != n).forEach(o -> others.add(o.handle().key()));
            assertThat(leaves).as("leaf set of %s", n.handle()).isEqualTo(others);
        }
    }

    @Test
    void lookupsFromEveryNodeAgreeOnTheNumericallyClosestRoot() {
        for (int k = 0; k < 8; k++) {
            NodeKey key = NodeKey.random(random);
            NodeKey expected = nodes.stream().map(n -> n.handle().key())
                    .min(Comparator.comparing((NodeKey n) -> n.distance(key)).thenComparing(n -> n)).orElseThrow();
            List<CompletableFuture<LookupResult>> lookups = nodes.stream().map(n -> n.lookup(key)).toList();
            cluster.awaitTrue("lookups answered", () -> lookups.stream().allMatch(CompletableFuture::isDone), LIMIT);
            for (CompletableFuture<LookupResult> f : lookups) {
                LookupResult r = f.join();
                assertThat(r.root().key()).as("root of %s", key).isEqualTo(expected);
                assertThat(r.path()).last().isEqualTo(expected);
            }
        }
    }

    @Test
    void directMessagesArriveIntactAndAreAcknowledged() {
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        OverlayNode from = nodes.get(0);
        OverlayNode to = nodes.get(2);
        List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        from.setRttListener((peer, rtt) -> {
            if (peer.equals(to.handle())) {
                samples.add(Double.toString(rtt));
            }
        });
        CompletableFuture<Void> sent = from.sendDirect(to.handle(), APP, payload);
        cluster.awaitTrue("direct message acknowledged", sent::isDone, LIMIT);
        from.setRttListener(null);
        assertThat(sent).isCompleted();
        assertThat(directs.get(to.handle().key())).filteredOn(p -> java.util.Arrays.equals(p, payload)).hasSize(1);
        assertThat(count(directs, payload)).isEqualTo(1);
        // the acknowledgement is an RTT sample of the receiver, told to the listener
        assertThat(samples).isNotEmpty().allSatisfy(rtt -> assertThat(Double.parseDouble(rtt)).isFinite().isNotNegative());
    }

    @Test
    void routedMessagesAreDeliveredOnceAtTheRoot() {
        NodeKey key = NodeKey.random(random);
        NodeKey root = nodes.stream().map(n -> n.handle().key())
                .min(Comparator.comparing((NodeKey n) -> n.distance(key)).thenComparing(n -> n)).orElseThrow();
        byte[] payload = payload("route");
        nodes.get(1).route(key, APP, payload);
        cluster.awaitTrue("route delivered", () -> count(delivered, payload) > 0, LIMIT);
        assertThat(delivered.get(root)).filteredOn(p -> java.util.Arrays.equals(p, payload)).hasSize(1);
        // a duplicate (a hop re-sent after a lost acknowledgement) would come at least one timeout later
        cluster.assertHolds("no second delivery", () -> count(delivered, payload) == 1, Duration.ofSeconds(3));
    }

    @Test
    void sendingToAnUnreachableNodeIsReportedAsAFailure() {
        CompletableFuture<Void> sent = nodes.get(0).sendDirect(cluster.unreachable(), APP, new byte[] {1});
        cluster.awaitTrue("send to nowhere settled", sent::isDone, LIMIT);
        assertThat(sent).isCompletedExceptionally();
    }

    @Test
    void aNodeThatLeavesIsForgottenByTheOthers() {
        OverlayNode leaver = startNode("leaver");
        NodeKey gone = leaver.handle().key();
        cluster.awaitTrue("leaver known", () -> nodes.stream().anyMatch(n ->
                n.snapshot().leafSet().stream().anyMatch(l -> l.key().equals(gone))), LIMIT);
        cluster.stop(leaver);
        awaitForgotten(leaver);
    }

    @Test
    void aNodeThatHasLeftAcknowledgesNothing() {
        OverlayNode leaver = startNode("leaver");
        cluster.stop(leaver);
        awaitForgotten(leaver);
        CompletableFuture<Void> sent = nodes.get(0).sendDirect(leaver.handle(), APP, new byte[] {7});
        cluster.awaitTrue("send to the leaver settled", sent::isDone, LIMIT);
        assertThat(sent).as("an acknowledgement would be proof of life").isCompletedExceptionally();
        assertThat(directs.get(leaver.handle().key())).isEmpty();
        cluster.awaitTrue("leaf sets as before", this::leafSetsComplete, LIMIT);
    }

    private void awaitForgotten(OverlayNode leaver) {
        NodeKey gone = leaver.handle().key();
        cluster.awaitTrue("leaver forgotten", () -> nodes.stream().allMatch(n ->
                n.snapshot().leafSet().stream().noneMatch(l -> l.key().equals(gone))
                        && n.snapshot().routingTable().stream().noneMatch(t -> t.key().equals(gone))), LIMIT);
    }
}
