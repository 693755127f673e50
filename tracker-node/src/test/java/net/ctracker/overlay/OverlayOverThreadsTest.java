package net.ctracker.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.ctracker.overlay.message.Envelope;
import net.ctracker.overlay.message.MessageType;
import net.ctracker.overlay.message.MessageCodec;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.config.ExecutorScheduler;

/**
 * The production wiring minus HTTP: each node on its own {@link ExecutorScheduler} thread, and a
 * transport that encodes every message, hands the bytes to another thread (like an HTTP worker),
 * decodes them there, calls {@link OverlayNode#receive(Envelope)} and acknowledges from that thread.
 */
class OverlayOverThreadsTest {

    private final Map<String, OverlayNode> byAddress = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<ExecutorScheduler> loops = new ArrayList<>();

    /** In-memory stand-in for the HTTP transport: POST = encode, worker thread, decode, receive, 200. */
    private final Transport transport = (from, toAddress, message, callback) -> {
        byte[] body = MessageCodec.encode(new Envelope(from, message));
        long start = System.nanoTime();
        workers.execute(() -> {
            OverlayNode target = byAddress.get(toAddress);
            if (target == null) {
                callback.failed("connection refused");
                return;
            }
            if (target.receive(MessageCodec.decode(body))) {
                callback.acknowledged(System.nanoTime() - start);
            } else {
                callback.failed("503 this node has left the overlay");
            }
        });
    };

    @AfterEach
    void stop() throws InterruptedException {
        loops.forEach(ExecutorScheduler::close);
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private OverlayNode node(int i, SplittableRandom random) {
        NodeHandle handle = new NodeHandle(NodeKey.random(random), "mem://" + i, "r" + i % 2);
        ExecutorScheduler loop = new ExecutorScheduler("overlay-" + i);
        loops.add(loop);
        OverlayNode node = new OverlayNode(handle, OverlayConfig.builder().snapshotPeriodMillis(50).build(), loop,
                transport, random.split());
        byAddress.put(handle.address(), node);
        return node;
    }

    @Test
    void nodesOnRealThreadsJoinAndAgreeOnRoots() {
        long seed = Long.getLong("cluster.seed", 1);
        System.out.println("CLUSTER SEED OverlayOverThreadsTest seed=" + seed + "  (replay: -Dcluster.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<OverlayNode> nodes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            OverlayNode n = node(i, random);
            nodes.add(n);
            n.start(List.of("mem://0", "mem://1"));
        }
        // node 0 lists itself and node 1; node 1 lists node 0: node 0 forms the overlay, the rest join it
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.snapshot().joined()));
        // with 12 nodes and 8 leaves a side, a converged leaf set holds every other node; a merely
        // full one can still miss the true root while joins are in flight
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream()
                .allMatch(n -> n.snapshot().leafSet().stream().map(NodeSnapshot.LeafEntry::key).distinct().count()
                        == nodes.size() - 1));

        NodeKey key = NodeKey.random(random);
        NodeKey expected = nodes.stream().map(n -> n.handle().key())
                .min((a, b) -> NodeKey.compareByDistance(key, a, b)).orElseThrow();
        for (OverlayNode n : nodes) {
            LookupResult result = n.lookup(key).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(result.root().key()).isEqualTo(expected);
            assertThat(result.path()).first().isEqualTo(n.handle().key());
        }
        // state owned by the loop is not for other threads: the event-loop-only methods say so at once
        assertThatThrownBy(() -> nodes.get(5).neighbourHandles()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event-loop state");
        // every type has a counter from the start: only counts above zero show traffic. Each lookup
        // but the root's own was answered by a LOOKUP_REPLY from the root
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(nodes.stream()
                .mapToLong(n -> n.snapshot().counters().received().get(MessageType.LOOKUP_REPLY.name())).sum())
                .isEqualTo(nodes.size() - 1L));
    }
}
