package net.ctracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterView.NodeState;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.sim.LatencyModel;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.overlay.sim.SimOverlay;
import net.ctracker.overlay.sim.SimSeeds;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster view gathered over a simulated overlay of real {@code OverlayNode}s: every node is
 * found from one node's neighbours, nodes that die stay listed as unreachable with since when,
 * and every bound (nodes, bytes, time, cache) holds. Seeds are printed on failure and replay with
 * {@code -Dsim.seed=N}.
 */
@ExtendWith(SimSeeds.class)
class ClusterProtocolSimTest {

    private static final ClusterProtocol.Settings SETTINGS = new ClusterProtocol.Settings(3_000, 2_000, 1_000, 16 << 20, 16, 60_000);

    private final Map<SimHost, ClusterProtocol> protocols = new HashMap<>();
    private final Map<SimHost, List<HeldList>> held = new HashMap<>();
    private final Map<SimHost, Integer> largestAsked = new HashMap<>();

    private SimOverlay overlay(long seed, int nodes, ClusterProtocol.Settings settings) {
        SimOverlay o = new SimOverlay(seed, OverlayConfig.builder().build(), LatencyModel.plane(3, 0.05, 2, 100));
        o.onCreate(h -> protocols.put(h, new ClusterProtocol(h.node(), h, h, settings, facts(h)).register()));
        o.joinOneAtATime(nodes, 200);
        o.run(10_000);
        return o;
    }

    private ClusterProtocol.LocalFacts facts(SimHost h) {
        return new ClusterProtocol.LocalFacts() {
            @Override
            public int swarms() {
                return h.id();
            }

            @Override
            public long peers() {
                return 10L * h.id();
            }

            @Override
            public CompletableFuture<List<HeldList>> largestSwarms(int limit) {
                largestAsked.merge(h, 1, Integer::sum);
                List<HeldList> mine = held.getOrDefault(h, List.of());
                return CompletableFuture.completedFuture(mine.subList(0, Math.min(limit, mine.size())));
            }
        };
    }

    private static ClusterView view(SimOverlay o, ClusterProtocol p, int swarmLimit) {
        CompletableFuture<ClusterView> f = p.view(swarmLimit);
        for (int i = 0; i < 3_000 && !f.isDone(); i++) {
            o.run(10);
        }
        assertThat(f).as("the view completes within the gathering's time").isDone();
        return f.join();
    }

    private static Set<NodeKey> keys(List<SimHost> hosts) {
        return hosts.stream().map(h -> h.handle().key()).collect(Collectors.toSet());
    }

    @Test
    void everyNodeIsFoundFromOneNodesNeighboursWithWhatItSaysOfItself(long seed) {
        SimOverlay o = overlay(seed, 40, SETTINGS);
        SimHost asker = o.live().get(7);
        ClusterView v = view(o, protocols.get(asker), 20);

        assertThat(v.complete()).isTrue();
        assertThat(v.self()).isEqualTo(asker.handle().key());
        assertThat(v.nodes()).extracting(n -> n.handle().key()).containsExactlyInAnyOrderElementsOf(keys(o.live()));
        assertThat(v.nodes()).allSatisfy(n -> {
            SimHost h = o.host(n.handle());
            assertThat(n.reachable()).isTrue();
            assertThat(n.handle()).isEqualTo(h.handle()); // its own address and region, not a neighbour's guess
            assertThat(n.report().joined()).isTrue();
            assertThat(n.report().swarms()).isEqualTo(h.id());
            assertThat(n.report().peers()).isEqualTo(10L * h.id());
            assertThat(n.report().leafSetSize()).isEqualTo(h.node().snapshot().leafSet().stream().map(l -> l.key()).distinct().count());
            assertThat(n.report().routingEntries()).isEqualTo(h.node().snapshot().routingTable().size());
            int cells = n.report().routingRows().stream().mapToInt(Integer::bitCount).sum();
            assertThat(cells).isPositive().isLessThanOrEqualTo(n.report().routingEntries());
        });
        // the latency matrix: measured RTTs between known nodes only
        assertThat(v.latency()).isNotEmpty().allSatisfy(l -> {
            assertThat(keys(o.live())).contains(l.from(), l.to());
            assertThat(l.rttMs()).isPositive();
        });
    }

    @Test
    void nodesThatDieStayListedAsUnreachableWithSinceWhen(long seed) {
        SimOverlay o = overlay(seed, 30, SETTINGS);
        SimHost asker = o.live().get(0);
        ClusterProtocol p = protocols.get(asker);
        assertThat(view(o, p, 20).nodes()).hasSize(30).allMatch(NodeState::reachable);

        List<SimHost> dead = new ArrayList<>(o.live().subList(10, 13));
        long killedAt = o.sim().now();
        dead.forEach(SimHost::kill);
        o.run(30_000); // long enough for the overlay to drop them from every leaf set, shorter than the forget period

        ClusterView after = view(o, p, 20);
        assertThat(after.nodes()).as("not dropped").hasSize(30);
        for (NodeState n : after.nodes()) {
            if (keys(dead).contains(n.handle().key())) {
                assertThat(n.reachable()).isFalse();
                assertThat(n.lastSeenMillis()).isBetween(0L, killedAt);
                assertThat(n.unreachableSinceMillis()).isGreaterThan(killedAt);
            } else {
                assertThat(n.reachable()).as("%s", n.handle()).isTrue();
                assertThat(n.unreachableSinceMillis()).isEqualTo(-1);
            }
        }
        // the swarms and RTTs of dead nodes no longer count
        assertThat(after.latency()).noneMatch(l -> keys(dead).contains(l.from()));

        SimHost back = dead.get(0);
        long unreachableSince = after.nodes().stream().filter(n -> n.handle().key().equals(back.handle().key()))
                .findFirst().orElseThrow().unreachableSinceMillis();
        o.run(SETTINGS.cacheMillis());
        ClusterView again = view(o, p, 20);
        assertThat(again.nodes().stream().filter(n -> n.handle().key().equals(back.handle().key())).findFirst().orElseThrow()
                .unreachableSinceMillis()).as("since when is kept while it stays down").isEqualTo(unreachableSince);
    }

    @Test
    void twoHundredNodesAreGatheredWithinTheTimeBudgetAndTheCostIsPrinted(long seed) {
        ClusterProtocol.Settings defaults = new ClusterProtocol.Settings(5_000, 2_000, 1_000, 16 << 20, 64, 3_600_000);
        SimOverlay o = overlay(seed, 200, defaults);
        List<HeldList> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(new HeldList(hash(i), i % 4 == 0, 10 + i, 20 + i, i));
        }
        o.live().forEach(h -> held.put(h, twenty));
        SimHost asker = o.live().get(0);
        ClusterView v = view(o, protocols.get(asker), 20);
        assertThat(v.complete()).isTrue();
        assertThat(v.nodes()).hasSize(200).allMatch(NodeState::reachable);
        assertThat(v.tookMillis()).isLessThan(defaults.timeoutMillis());
        long bytes = v.nodes().stream().filter(n -> !n.handle().key().equals(v.self()))
                .mapToLong(n -> ClusterCodec.encode(n.report()).length).sum();
        System.out.printf("ClusterProtocolSimTest: %d nodes gathered in %d ms of simulated time (RTTs 2..~140 ms), "
                        + "%d DESCRIBE + %d DESCRIPTION messages, %.0f KB of descriptions (%.0f B per node), %d latency links%n",
                v.nodes().size(), v.tookMillis(), v.nodes().size() - 1, v.nodes().size() - 1, bytes / 1024.0,
                bytes / (double) (v.nodes().size() - 1), v.latency().size());
    }

    @Test
    void unreachableNodesAreForgottenAfterTheForgetPeriod(long seed) {
        ClusterProtocol.Settings shortMemory = new ClusterProtocol.Settings(3_000, 0, 1_000, 16 << 20, 16, 20_000);
        SimOverlay o = overlay(seed, 12, shortMemory);
        ClusterProtocol p = protocols.get(o.live().get(0));
        assertThat(view(o, p, 0).nodes()).hasSize(12);
        SimHost gone = o.live().get(5);
        gone.kill();
        o.run(10_000);
        assertThat(view(o, p, 0).nodes()).hasSize(12).filteredOn(n -> !n.reachable()).hasSize(1);
        o.run(25_000);
        assertThat(view(o, p, 0).nodes()).hasSize(11).noneMatch(n -> n.handle().key().equals(gone.handle().key()));
    }

    @Test
    void theNodeBoundCutsTheViewShortAndSaysSo(long seed) {
        SimOverlay o = overlay(seed, 30, new ClusterProtocol.Settings(3_000, 2_000, 10, 16 << 20, 4, 60_000));
        ClusterView v = view(o, protocols.get(o.live().get(3)), 20);
        assertThat(v.nodes()).hasSize(10).allMatch(NodeState::reachable);
        assertThat(v.complete()).isFalse();
    }

    @Test
    void theByteBoundStopsAskingAndSaysSo(long seed) {
        SimOverlay o = overlay(seed, 30, new ClusterProtocol.Settings(3_000, 2_000, 1_000, 1, 1, 60_000));
        ClusterView v = view(o, protocols.get(o.live().get(3)), 20);
        assertThat(v.complete()).isFalse();
        assertThat(v.nodes()).as("one description took the whole budget").hasSize(2);
    }

    @Test
    void aViewIsCachedAndConcurrentCallersShareOneGathering(long seed) {
        SimOverlay o = overlay(seed, 10, SETTINGS);
        SimHost asker = o.live().get(0);
        ClusterProtocol p = protocols.get(asker);
        CompletableFuture<ClusterView> a = p.view(20);
        CompletableFuture<ClusterView> b = p.view(5);
        ClusterView first = view(o, p, 20);
        assertThat(a.join()).isSameAs(b.join()).isSameAs(first);
        o.run(SETTINGS.cacheMillis() - 500);
        assertThat(view(o, p, 20)).as("within the cache time").isSameAs(first);
        assertThat(view(o, p, 50)).as("more swarms than the cached view asked for").isNotSameAs(first);
        o.run(SETTINGS.cacheMillis());
        assertThat(view(o, p, 20)).isNotSameAs(first);
    }

    @Test
    void largestSwarmsMergeRootAndReplicasAcrossNodes(long seed) {
        SimOverlay o = overlay(seed, 8, SETTINGS);
        List<SimHost> h = o.live();
        InfoHash big = hash(1);
        InfoHash small = hash(2);
        InfoHash orphan = hash(3);
        held.put(h.get(1), List.of(new HeldList(big, true, 10, 20, 5), new HeldList(small, false, 1, 1, 0)));
        held.put(h.get(2), List.of(new HeldList(big, false, 10, 19, 5)));
        held.put(h.get(3), List.of(new HeldList(small, true, 1, 2, 1), new HeldList(orphan, false, 0, 1, 0)));
        ClusterView v = view(o, protocols.get(h.get(0)), 20);

        List<ClusterView.ClusterSwarm> top = v.largestSwarms(10);
        assertThat(top).extracting(ClusterView.ClusterSwarm::infoHash).containsExactly(big, small, orphan);
        ClusterView.ClusterSwarm first = top.get(0);
        assertThat(first.root()).isEqualTo(h.get(1).handle());
        assertThat(first.seeders()).isEqualTo(10);
        assertThat(first.leechers()).as("the root's count, not the lagging replica's").isEqualTo(20);
        assertThat(first.holders()).extracting(ClusterView.Holder::node, ClusterView.Holder::root)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(h.get(1).handle(), true),
                        org.assertj.core.groups.Tuple.tuple(h.get(2).handle(), false));
        assertThat(top.get(1).root()).isEqualTo(h.get(3).handle());
        assertThat(top.get(2).root()).as("no node says it is the root").isNull();
        assertThat(v.largestSwarms(1)).extracting(ClusterView.ClusterSwarm::infoHash).containsExactly(big);
        assertThat(v.largestSwarms(0)).isEmpty();
    }

    @Test
    void aDescriptionFitsOnePayloadWhateverTheNodeHolds(long seed) {
        SimOverlay o = overlay(seed, 6, SETTINGS);
        List<HeldList> many = new ArrayList<>();
        for (int i = 0; i < ClusterCodec.MAX_SWARMS; i++) {
            many.add(new HeldList(hash(i), true, i, i, i));
        }
        o.live().forEach(h -> held.put(h, many));
        ClusterView v = view(o, protocols.get(o.live().get(0)), ClusterCodec.MAX_SWARMS);
        assertThat(v.nodes()).hasSize(6).allMatch(NodeState::reachable);
        assertThat(v.nodes()).allSatisfy(n -> {
            assertThat(n.report().largestSwarms()).hasSize(ClusterCodec.MAX_SWARMS);
            assertThat(n.report().neighbours()).isNotEmpty();
        });
    }

    @Test
    void malformedAndUnsolicitedMessagesChangeNothing(long seed) {
        SimOverlay o = overlay(seed, 5, SETTINGS);
        SimHost a = o.live().get(0);
        SimHost b = o.live().get(1);
        ClusterProtocol p = protocols.get(a);
        int before = view(o, p, 0).nodes().size();
        p.direct(b.handle(), new Direct(ClusterCodec.APP_TYPE, new byte[] {1, 2, 3}));
        p.direct(new net.ctracker.overlay.routing.NodeHandle(NodeKey.random(o.random()), "sim://nobody", "x"),
                new Direct(ClusterCodec.APP_TYPE, ClusterCodec.encode(new ClusterMessage.Description(1, true, 0, 0, List.of(),
                        0, 0, List.of(), List.of()))));
        assertThat(p.malformed()).isEqualTo(1);
        o.run(SETTINGS.cacheMillis());
        assertThat(view(o, p, 0).nodes()).hasSize(before);
    }

    private static InfoHash hash(int i) {
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) 7);
        b[0] = (byte) (i >> 8);
        b[1] = (byte) i;
        return InfoHash.of(b);
    }
}
