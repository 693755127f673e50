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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every transport must give the overlay, as seen by its users: nodes join and know each
 * other, lookups agree on the true root, direct and routed application messages arrive intact and
 * once, an unreachable node is reported as a failure, and a node that leaves is forgotten. Each
 * transport (the simulator's and HTTP) runs this same suite through a {@link Cluster}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
            nodes.add(node);
            cluster.awaitTrue("node " + i + " joined", () -> node.snapshot().joined(), LIMIT);
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void joinedNodesHoldEachOtherInTheirLeafSets() {
        cluster.awaitTrue("every leaf set complete", () -> nodes.stream().allMatch(n -> {
            Set<NodeKey> leaves = new HashSet<>();
            n.snapshot().leafSet().forEach(l -> leaves.add(l.key()));
            return leaves.size() == NODES - 1;
        }), LIMIT);
    }

    @Test
    @Order(2)
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
    @Order(3)
    void directMessagesArriveIntactAndAreAcknowledged() {
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        OverlayNode from = nodes.get(0);
        OverlayNode to = nodes.get(2);
        CompletableFuture<Void> sent = from.sendDirect(to.handle(), APP, payload);
        cluster.awaitTrue("direct message acknowledged", sent::isDone, LIMIT);
        assertThat(sent).isCompleted();
        assertThat(directs.get(to.handle().key())).singleElement().isEqualTo(payload);
    }

    @Test
    @Order(4)
    void routedMessagesAreDeliveredOnceAtTheRoot() {
        NodeKey key = NodeKey.random(random);
        NodeKey root = nodes.stream().map(n -> n.handle().key())
                .min(Comparator.comparing((NodeKey n) -> n.distance(key)).thenComparing(n -> n)).orElseThrow();
        byte[] payload = {42, 0, -1};
        nodes.get(1).route(key, APP, payload);
        AtomicInteger total = new AtomicInteger();
        cluster.awaitTrue("route delivered", () -> {
            total.set(delivered.values().stream().mapToInt(List::size).sum());
            return total.get() > 0;
        }, LIMIT);
        assertThat(delivered.get(root)).singleElement().isEqualTo(payload);
        // a duplicate (a hop re-sent after a lost acknowledgement) would come at least one timeout later
        cluster.assertHolds("no second delivery", () -> delivered.values().stream().mapToInt(List::size).sum() == 1,
                Duration.ofSeconds(3));
    }

    @Test
    @Order(5)
    void sendingToAnUnreachableNodeIsReportedAsAFailure() {
        CompletableFuture<Void> sent = nodes.get(0).sendDirect(cluster.unreachable(), APP, new byte[] {1});
        cluster.awaitTrue("send to nowhere settled", sent::isDone, LIMIT);
        assertThat(sent).isCompletedExceptionally();
    }

    @Test
    @Order(6)
    void aNodeThatLeavesIsForgottenByTheOthers() {
        OverlayNode leaver = nodes.get(3);
        NodeKey gone = leaver.handle().key();
        cluster.stop(leaver);
        List<OverlayNode> rest = nodes.subList(0, 3);
        cluster.awaitTrue("leaver forgotten", () -> rest.stream().allMatch(n ->
                n.snapshot().leafSet().stream().noneMatch(l -> l.key().equals(gone))
                        && n.snapshot().routingTable().stream().noneMatch(t -> t.key().equals(gone))), LIMIT);
    }

    @Test
    @Order(7)
    void aNodeThatHasLeftAcknowledgesNothing() {
        OverlayNode leaver = nodes.get(3);
        CompletableFuture<Void> sent = nodes.get(0).sendDirect(leaver.handle(), APP, new byte[] {7});
        cluster.awaitTrue("send to the leaver settled", sent::isDone, LIMIT);
        assertThat(sent).as("an acknowledgement would be proof of life").isCompletedExceptionally();
        assertThat(directs.getOrDefault(leaver.handle().key(), List.of())).isEmpty();
    }
}
