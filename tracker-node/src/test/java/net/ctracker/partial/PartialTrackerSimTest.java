package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.sim.LatencyModel;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.SwarmCounts;
import org.junit.jupiter.api.Test;

/** Small simulated clusters: the partial trackers' flows one by one. */
class PartialTrackerSimTest {

    private static final long INTERVAL = 60_000;

    private SimCluster cluster(long seed, int nodes) {
        SimCluster c = new SimCluster(seed, OverlayConfig.defaults(), SimCluster.testConfig(INTERVAL),
                SimCluster.limits(Duration.ofMillis(2 * INTERVAL)), LatencyModel.plane(3, 0.05, 2, 80));
        c.overlay.joinOneAtATime(nodes, 200);
        c.run(10_000);
        return c;
    }

    /** A cluster whose peers outlive the test (two hours of TTL): lists change only by what a test does. */
    private SimCluster longLived(long seed, int nodes) {
        SimCluster c = new SimCluster(seed, OverlayConfig.defaults(), SimCluster.testConfig(INTERVAL),
                SimCluster.limits(Duration.ofHours(2)), LatencyModel.plane(3, 0.05, 2, 80));
        c.overlay.joinOneAtATime(nodes, 200);
        c.run(10_000);
        return c;
    }

    private static byte[] endpoint(byte[] ip, int port) {
        return ByteBuffer.allocate(6).put(ip).putShort((short) port).array();
    }

    @Test
    void aPeerAnnouncedAtOneNodeIsHandedOutAtAnother() {
        SimCluster c = cluster(1, 8);
        List<SimHost> live = c.live();
        SimHost a = live.get(0);
        SimHost b = live.get(5);
        InfoHash h = SimCluster.hash(7);
        SimCluster.Reply first = c.announce(a, h, SimCluster.ip(1), 6881, SimCluster.peerId(1), 100, AnnounceEvent.STARTED, 50);
        c.run(1_000);
        assertThat(first.answered()).isTrue();
        SimCluster.Reply second = c.announce(b, h, SimCluster.ip(2), 6881, SimCluster.peerId(2), 100, AnnounceEvent.STARTED, 50);
        c.run(1_000);
        assertThat(second.answered()).isTrue();
        assertThat(second.peers).extracting(SimCluster::hex).containsExactly(SimCluster.hex(endpoint(SimCluster.ip(1), 6881)));
        assertThat(second.incomplete).as("the swarm's count, not node b's").isEqualTo(2);

        long[] at = new long[1];
        List<SwarmCounts> counts = c.scrape(live.get(3), List.of(h), at);
        c.run(1_000);
        assertThat(at[0]).isPositive();
        assertThat(counts).containsExactly(new SwarmCounts(0, 2, 0));
    }

    @Test
    void aLookupOfAPopulatedSwarmBringsBackAFullSample() {
        SimCluster c = cluster(3, 6);
        List<SimHost> live = c.live();
        InfoHash h = SimCluster.hash(9);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int p = 0; p < 240; p++) {
            c.announce(live.get(r.nextInt(live.size())), h, SimCluster.ip(100 + p), 6881, SimCluster.peerId(100 + p), 1000,
                    AnnounceEvent.STARTED, 30);
        }
        c.run(60_000);
        for (SimHost at : live) {
            SimCluster.Reply reply = c.announce(at, h, SimCluster.ip(9_000), 6881, SimCluster.peerId(9_000), 1000,
                    AnnounceEvent.STARTED, 30);
            c.run(2_000);
            assertThat(reply.peers).hasSize(30);
            ClusterPeers.CacheView v = c.node(at).cluster.cached(h);
            assertThat(v).as("cache at %s", at).isNotNull();
            assertThat(v.peers()).as("sample cached at %s", at).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void aNodeAloneKeepsNoCopiesAndHandsItsSwarmsToTheNodesThatJoinIt() {
        SimCluster c = cluster(5, 1);
        SimHost first = c.live().get(0);
        int swarms = 30;
        for (int k = 0; k < swarms; k++) {
            InfoHash h = SimCluster.hash(100 + k);
            for (int p = 0; p < 3; p++) {
                c.announce(first, h, SimCluster.ip(10 * k + p), 6881, SimCluster.peerId(10 * k + p), 100,
                        AnnounceEvent.STARTED, 50);
            }
            // one of the three completes: a seeder, and one download
            c.announce(first, h, SimCluster.ip(10 * k), 6881, SimCluster.peerId(10 * k), 0, AnnounceEvent.COMPLETED, 50);
        }
        c.run(5_000);
        assertThat(c.node(first).counters.recordsPublished.sum()).as("records published by a node alone").isZero();
        assertThat(c.node(first).cluster.cachedSwarms()).as("swarms looked up by a node alone").isZero();
        // the operator's views still show the node alone as the root of its swarms, with their counts
        var largest = c.node(first).tracker.largestSwarms(5);
        var view = c.node(first).tracker.inspect(SimCluster.hash(100), 1_000);
        c.run(1_000);
        assertThat(largest.join()).hasSize(5).allSatisfy(s -> {
            assertThat(s.root()).isTrue();
            assertThat(s.seeders()).isEqualTo(1);
            assertThat(s.leechers()).isEqualTo(2);
            assertThat(s.downloaded()).isEqualTo(1);
        });
        assertThat(view.join().root()).isNotNull();
        assertThat(view.join().root().seeders()).isEqualTo(1);
        assertThat(view.join().root().leechers()).isEqualTo(2);
        assertThat(view.join().root().downloaded()).isEqualTo(1);
        assertThat(view.join().announcedAt()).hasSize(1);
        assertThat(view.join().announcedAt().get(0).node()).isEqualTo(first.handle());
        for (int k = 0; k < swarms; k++) {
            assertThat(c.node(first).tracker.heldForTest(SimCluster.hash(100 + k))).as("a copy held of its own peers").isNull();
        }

        c.overlay.joinOneAtATime(4, 200);
        c.run(10_000);
        List<SimHost> live = c.live();
        for (int k = 0; k < swarms; k++) {
            InfoHash h = SimCluster.hash(100 + k);
            SimHost at = live.get(1 + k % 4);
            SimCluster.Reply reply = c.announce(at, h, SimCluster.ip(5_000 + k), 6881, SimCluster.peerId(5_000 + k), 100,
                    AnnounceEvent.STARTED, 50);
            c.run(2_000);
            assertThat(reply.peers).as("swarm %d at a node that joined later", k).extracting(SimCluster::hex)
                    .containsExactlyInAnyOrder(SimCluster.hex(endpoint(SimCluster.ip(10 * k), 6881)),
                            SimCluster.hex(endpoint(SimCluster.ip(10 * k + 1), 6881)),
                            SimCluster.hex(endpoint(SimCluster.ip(10 * k + 2), 6881)));
            assertThat(reply.complete).isEqualTo(1);
            assertThat(reply.incomplete).isEqualTo(3);
        }
        for (int k = 0; k < swarms; k++) {
            InfoHash h = SimCluster.hash(100 + k);
            long[] at = new long[1];
            List<SwarmCounts> counts = c.scrape(live.get(1 + (k + 1) % 4), List.of(h), at);
            c.run(2_000);
            assertThat(counts).as("scrape of swarm %d", k).containsExactly(new SwarmCounts(1, 3, 1));
        }
    }

    @Test
    void aListThatKeepsChangingIsComparedOnceQuietAndALostListIsRestoredByTheDigest() {
        // peers outlive the test: the list changes only by the announces below
        SimCluster c = longLived(11, 3);
        List<SimHost> live = c.live();
        InfoHash h = SimCluster.hash(77);
        long period = c.config.digestPeriodMillis();
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        // a new peer every 50 ms for two digest periods: the list is never quiet
        int peers = (int) (2 * period / 50);
        for (int p = 0; p < peers; p++) {
            c.announce(live.get(r.nextInt(live.size())), h, SimCluster.ip(1_000 + p), 6881, SimCluster.peerId(1_000 + p),
                    1000, AnnounceEvent.STARTED, 10);
            c.run(50);
        }
        long repairs = live.stream().mapToLong(n -> c.node(n).counters.replicaRepairs.sum()).sum();
        assertThat(repairs).as("lists sent whole while the swarm kept changing").isZero();

        SimHost root = c.overlay.trueRoot(net.ctracker.overlay.routing.NodeKey.of(h.toBytes()));
        SimHost replica = live.stream().filter(n -> n != root).findFirst().orElseThrow();
        c.run(5_000);
        int held = c.node(root).tracker.heldForTest(h).size();
        assertThat(c.node(replica).tracker.heldForTest(h).size()).as("replica before the loss").isEqualTo(held);
        c.node(replica).host.execute(() -> c.node(replica).tracker.dropHeldForTest(h));
        c.run(10);
        assertThat(c.node(replica).tracker.heldForTest(h)).isNull();
        c.run(2 * period);
        assertThat(c.node(replica).tracker.heldForTest(h)).as("replica after two digest periods").isNotNull();
        assertThat(c.node(replica).tracker.heldForTest(h).size()).isEqualTo(c.node(root).tracker.heldForTest(h).size());
        assertThat(c.node(root).counters.replicaRepairs.sum()).isPositive();
    }

    @Test
    void aRootPassesItsChangesToEachReplicaInOneMessagePerReplicateDelay() {
        SimCluster c = longLived(13, 5);
        InfoHash h = SimCluster.hash(91);
        SimHost root = rootOf(c, h);
        List<SimHost> others = othersThan(c, root);
        long delay = c.config.replicateDelayMillis();
        assertThat(delay).as("the default").isEqualTo(1_000);
        long before = replicatesSent(c, root);
        // five new peers within half the replicate delay, announced at nodes other than the root
        for (int p = 0; p < 5; p++) {
            c.announce(others.get(p % others.size()), h, SimCluster.ip(500 + p), 6881, SimCluster.peerId(500 + p), 1000,
                    AnnounceEvent.STARTED, 10);
            c.run(delay / 10);
        }
        c.run(delay / 5);
        assertThat(c.node(root).tracker.heldForTest(h).size()).as("at the root within the publish delays").isEqualTo(5);
        assertThat(replicatesSent(c, root) - before).as("replica messages before the replicate delay ran out").isZero();
        c.run(2 * delay);
        assertThat(replicatesSent(c, root) - before).as("one message per replica for the five changes")
                .isEqualTo(c.config.replicas());
        long replicasHolding = others.stream()
                .filter(n -> c.node(n).tracker.heldForTest(h) != null && c.node(n).tracker.heldForTest(h).full
                        && c.node(n).tracker.heldForTest(h).size() == 5)
                .count();
        assertThat(replicasHolding).as("replicas holding all five").isEqualTo(c.config.replicas());
    }

    @Test
    void aRootThatLeavesPolitelyPassesOnTheChangesItHadQueued() {
        SimCluster c = longLived(17, 5);
        InfoHash h = SimCluster.hash(93);
        SimHost root = rootOf(c, h);
        List<SimHost> others = othersThan(c, root);
        for (int p = 0; p < 3; p++) {
            c.announce(others.get(p), h, SimCluster.ip(700 + p), 6881, SimCluster.peerId(700 + p), 1000,
                    AnnounceEvent.STARTED, 10);
        }
        c.run(2 * c.config.replicateDelayMillis());
        // a fourth peer reaches the root; the root leaves before its replicate delay runs out
        c.announce(others.get(3), h, SimCluster.ip(703), 6881, SimCluster.peerId(703), 1000, AnnounceEvent.STARTED, 10);
        c.run(c.config.replicateDelayMillis() / 2);
        assertThat(c.node(root).tracker.heldForTest(h).size()).isEqualTo(4);
        root.node().leave();
        c.run(10 * c.config.rebalanceDelayMillis());
        SimHost newRoot = rootOf(c, h);
        assertThat(newRoot).isNotEqualTo(root);
        assertThat(c.node(newRoot).tracker.heldForTest(h).size()).as("peers at the new root").isEqualTo(4);
        SimCluster.Reply reply = c.announce(others.get(0), h, SimCluster.ip(800), 6881, SimCluster.peerId(800), 1000,
                AnnounceEvent.STARTED, 10);
        c.run(2_000);
        assertThat(reply.incomplete).as("the swarm's count after the root left").isEqualTo(5);
    }

    @Test
    void aNodeRenewsTheSamplesItsReAnnouncesUseInOneMessageAndNoReAnnounceWaits() {
        int swarms = Outbox.MIN_RENEWALS + 2;
        RenewalRun run = renewalRun(21, swarms, 6);
        assertThat(run.waited).as("re-announces that waited on a lookup after the first round").isZero();
        assertThat(run.renewals.get(TrackerCounters.Renewal.SENT)).as("renewals sent as a batch")
                .isGreaterThanOrEqualTo(2L * swarms);
        assertThat(run.getPeersSent).as("GET_PEERS from the node in the six intervals after the first: one an interval, for all the swarms")
                .isLessThanOrEqualTo(6);
        assertThat(run.everyReplyHadTheRemotePeer).as("every re-announce got the peer announced elsewhere").isTrue();
    }

    @Test
    void renewalsTooFewForTheirNextHopAreDroppedAndTheSwarmIsLookedUpWhenItsSampleIsGone() {
        RenewalRun run = renewalRun(23, Outbox.MIN_RENEWALS - 1, 6);
        assertThat(run.renewals.get(TrackerCounters.Renewal.DROPPED)).as("one renewal too few").isPositive();
        assertThat(run.renewals.get(TrackerCounters.Renewal.SENT)).isZero();
        assertThat(run.waited).as("the re-announce after the sample aged out waited, as without renewals").isPositive();
    }

    /** What node a saw while one of its peers per swarm re-announced every interval, each swarm rooted at one other node. */
    private record RenewalRun(long waited, java.util.Map<TrackerCounters.Renewal, Long> renewals, long getPeersSent,
                              boolean everyReplyHadTheRemotePeer) {
    }

    /**
     * {@code swarms} swarms rooted at node b, each with one peer announced at b and one at node a; both
     * re-announce every interval for {@code intervals} intervals after the first announce. No replicas,
     * so that a holds none of the swarms and has to ask b.
     */
    private RenewalRun renewalRun(long seed, int swarms, int intervals) {
        SimCluster c = withoutReplicas(seed, 3);
        SimHost a = c.live().get(0);
        List<InfoHash> hashes = rootedAtOneOther(c, a, swarms);
        SimHost b = rootOf(c, hashes.get(0));
        boolean allGot = true;
        long waitedAfterFirst = 0;
        long getPeersAfterFirst = 0;
        java.util.Map<TrackerCounters.Renewal, Long> renewals0 = c.node(a).counters.snapshot().renewals();
        for (int round = 0; round <= intervals; round++) {
            AnnounceEvent event = round == 0 ? AnnounceEvent.STARTED : AnnounceEvent.NONE;
            for (int s = 0; s < hashes.size(); s++) {
                c.announce(b, hashes.get(s), SimCluster.ip(2_000 + s), 6881, SimCluster.peerId(2_000 + s), 1000, event, 10);
            }
            c.run(1_000);
            long waited0 = waited(c, a);
            long getPeers0 = c.node(a).counters.snapshot().sent().getOrDefault(TrackerMessage.Kind.GET_PEERS, 0L);
            List<SimCluster.Reply> replies = new java.util.ArrayList<>();
            for (int s = 0; s < hashes.size(); s++) {
                replies.add(c.announce(a, hashes.get(s), SimCluster.ip(3_000 + s), 6881, SimCluster.peerId(3_000 + s), 1000,
                        event, 10));
            }
            c.run(INTERVAL - 1_000);
            for (int s = 0; s < replies.size(); s++) {
                String remote = SimCluster.hex(endpoint(SimCluster.ip(2_000 + s), 6881));
                allGot &= replies.get(s).peers.stream().map(SimCluster::hex).anyMatch(remote::equals);
            }
            if (round > 0) {
                waitedAfterFirst += waited(c, a) - waited0;
                getPeersAfterFirst += c.node(a).counters.snapshot().sent().getOrDefault(TrackerMessage.Kind.GET_PEERS, 0L)
                        - getPeers0;
            }
        }
        java.util.Map<TrackerCounters.Renewal, Long> renewals = new java.util.EnumMap<>(TrackerCounters.Renewal.class);
        c.node(a).counters.snapshot().renewals().forEach((k, v) -> renewals.put(k, v - renewals0.getOrDefault(k, 0L)));
        return new RenewalRun(waitedAfterFirst, renewals, getPeersAfterFirst, allGot);
    }

    @Test
    void aRenewalTooFewToGoAloneRidesAlongWithALookupToTheSameNode() {
        SimCluster c = withoutReplicas(25, 3);
        SimHost a = c.live().get(0);
        List<InfoHash> hashes = rootedAtOneOther(c, a, 2);
        SimHost b = rootOf(c, hashes.get(0));
        for (InfoHash h : hashes) {
            c.announce(b, h, SimCluster.ip(4_000), 6881, SimCluster.peerId(4_000), 1000, AnnounceEvent.STARTED, 10);
        }
        c.run(1_000);
        c.announce(a, hashes.get(0), SimCluster.ip(4_001), 6881, SimCluster.peerId(4_001), 1000, AnnounceEvent.STARTED, 10);
        c.run(INTERVAL);
        // the re-announce asks for a renewal of the first swarm's answer, an interval old; a newcomer to
        // the second swarm looks it up a second later, through the same next hop
        c.announce(a, hashes.get(0), SimCluster.ip(4_001), 6881, SimCluster.peerId(4_001), 1000, AnnounceEvent.NONE, 10);
        c.run(1_000);
        assertThat(c.node(a).cluster.cached(hashes.get(0)).ageMillis()).as("not renewed yet").isGreaterThan(INTERVAL);
        c.announce(a, hashes.get(1), SimCluster.ip(4_002), 6881, SimCluster.peerId(4_002), 1000, AnnounceEvent.STARTED, 10);
        c.run(1_000);
        assertThat(c.node(a).cluster.cached(hashes.get(0)).ageMillis()).as("renewed with the lookup").isLessThan(1_000);
        c.run(2 * c.config.refreshDelayMillis()); // past every renewal flush
        java.util.Map<TrackerCounters.Renewal, Long> r = c.node(a).counters.snapshot().renewals();
        assertThat(r.get(TrackerCounters.Renewal.RODE)).isEqualTo(1);
        assertThat(r.get(TrackerCounters.Renewal.DROPPED)).as("nothing left to drop").isZero();
    }

    @Test
    void aRenewalIsAskedOnlyOnceAnAnswerIsHalfAnIntervalOldAndOnlyOnceForIt() {
        SimCluster c = withoutReplicas(27, 3);
        SimHost a = c.live().get(0);
        InfoHash h = rootedAtOneOther(c, a, 1).get(0);
        SimHost b = rootOf(c, h);
        c.announce(b, h, SimCluster.ip(5_000), 6881, SimCluster.peerId(5_000), 1000, AnnounceEvent.STARTED, 10);
        c.run(1_000);
        c.announce(a, h, SimCluster.ip(5_001), 6881, SimCluster.peerId(5_001), 1000, AnnounceEvent.STARTED, 10);
        c.run(INTERVAL / 3);
        // stale (a one-peer answer is fresh for seconds), but younger than half an interval: no renewal
        c.announce(a, h, SimCluster.ip(5_001), 6881, SimCluster.peerId(5_001), 1000, AnnounceEvent.NONE, 10);
        c.run(2 * c.config.refreshDelayMillis());
        assertThat(renewalsAsked(c, a)).isZero();
        c.run(INTERVAL / 3);
        // now older than half an interval, twice in a row: one renewal (a lone one for its next hop: dropped)
        c.announce(a, h, SimCluster.ip(5_001), 6881, SimCluster.peerId(5_001), 1000, AnnounceEvent.NONE, 10);
        c.run(1_000);
        c.announce(a, h, SimCluster.ip(5_001), 6881, SimCluster.peerId(5_001), 1000, AnnounceEvent.NONE, 10);
        c.run(2 * c.config.refreshDelayMillis());
        assertThat(renewalsAsked(c, a)).isEqualTo(1);
        assertThat(c.node(a).counters.snapshot().renewals().get(TrackerCounters.Renewal.DROPPED)).isEqualTo(1);
    }

    private static long renewalsAsked(SimCluster c, SimHost n) {
        return c.node(n).counters.snapshot().renewals().values().stream().mapToLong(Long::longValue).sum();
    }

    /** A cluster of {@code nodes} without replicas: a node that is not a swarm's root holds nothing of it and has to ask. */
    private static SimCluster withoutReplicas(long seed, int nodes) {
        SimCluster c = new SimCluster(seed, OverlayConfig.defaults(), SimCluster.testConfig(INTERVAL).toBuilder().replicas(0).build(),
                SimCluster.limits(Duration.ofMillis(2 * INTERVAL)), LatencyModel.plane(3, 0.05, 2, 80));
        c.overlay.joinOneAtATime(nodes, 200);
        c.run(10_000);
        return c;
    }

    /** {@code n} swarms with one root that is not {@code a}. */
    private static List<InfoHash> rootedAtOneOther(SimCluster c, SimHost a, int n) {
        SimHost b = null;
        List<InfoHash> hashes = new java.util.ArrayList<>();
        for (int i = 0; hashes.size() < n; i++) {
            InfoHash h = SimCluster.hash(1_000 + i);
            SimHost root = rootOf(c, h);
            if (root != a && (b == null || root == b)) {
                b = root;
                hashes.add(h);
            }
        }
        return hashes;
    }

    /** Announces at {@code n} that waited on a lookup. */
    private static long waited(SimCluster c, SimHost n) {
        java.util.Map<TrackerCounters.Lookup, Long> l = c.node(n).counters.snapshot().lookups();
        return l.get(TrackerCounters.Lookup.LOCAL) + l.get(TrackerCounters.Lookup.REMOTE)
                + l.get(TrackerCounters.Lookup.BUDGET_EXPIRED);
    }

    private static SimHost rootOf(SimCluster c, InfoHash h) {
        return c.overlay.trueRoot(net.ctracker.overlay.routing.NodeKey.of(h.toBytes()));
    }

    /** The live nodes but {@code n}. */
    private static List<SimHost> othersThan(SimCluster c, SimHost n) {
        return c.live().stream().filter(x -> x != n).toList();
    }

    private static long replicatesSent(SimCluster c, SimHost n) {
        return c.node(n).counters.snapshot().sent().getOrDefault(TrackerMessage.Kind.REPLICATE, 0L);
    }

    @Test
    void aNodeLeftAloneForgetsItsCopiesAndHandsOnOnlyWhatItsStoreHolds() {
        SimCluster c = longLived(21, 2);
        SimHost left = c.live().get(0);
        SimHost gone = c.live().get(1);
        InfoHash h = SimCluster.hash(300);
        for (int p = 0; p < 3; p++) {
            c.announce(left, h, SimCluster.ip(300 + p), 6881, SimCluster.peerId(300 + p), 100, AnnounceEvent.STARTED, 50);
        }
        c.run(5_000);
        assertThat(c.node(left).tracker.heldForTest(h)).as("a copy while in a cluster of two").isNotNull();
        assertThat(c.node(left).tracker.heldForTest(h).size()).isEqualTo(3);

        gone.kill();
        c.run(120_000);
        HeldSwarms.Swarm copy = c.node(left).tracker.heldForTest(h);
        assertThat(copy == null ? 0 : copy.size()).as("copies of its own peers held by a node left alone").isZero();
        // a peer stops while the node is alone: nothing is published, and nothing must come back
        c.announce(left, h, SimCluster.ip(300), 6881, SimCluster.peerId(300), 100, AnnounceEvent.STOPPED, 50);
        c.run(1_000);

        c.overlay.joinOneAtATime(2, 200);
        c.run(10_000);
        SimHost newcomer = c.live().stream().filter(n -> n != left).findFirst().orElseThrow();
        SimCluster.Reply reply = c.announce(newcomer, h, SimCluster.ip(399), 6881, SimCluster.peerId(399), 100,
                AnnounceEvent.STARTED, 50);
        c.run(2_000);
        assertThat(reply.peers).extracting(SimCluster::hex).containsExactlyInAnyOrder(
                SimCluster.hex(endpoint(SimCluster.ip(301), 6881)), SimCluster.hex(endpoint(SimCluster.ip(302), 6881)));
        assertThat(reply.incomplete).isEqualTo(3);
    }

    @Test
    void aHandoffThatIsNotAcknowledgedIsSentAgain() {
        SimCluster c = longLived(31, 6);
        InfoHash h = SimCluster.hash(500);
        net.ctracker.overlay.routing.NodeKey key = net.ctracker.overlay.routing.NodeKey.of(h.toBytes());
        List<SimHost> live = c.live();
        for (int p = 0; p < 10; p++) {
            c.announce(live.get(p % live.size()), h, SimCluster.ip(500 + p), 6881, SimCluster.peerId(500 + p), 100,
                    AnnounceEvent.STARTED, 50);
        }
        c.run(5_000);
        SimHost oldRoot = c.overlay.trueRoot(key);
        assertThat(c.node(oldRoot).tracker.heldForTest(h).size()).isEqualTo(10);
        // a node whose key is the swarm's joins: the old root hands it the list a rebalance delay after
        // it enters the old root's leaf set; every message is lost from that moment for three seconds
        SimHost newRoot = c.overlay.addNode(key);
        long deadline = c.overlay.sim().now() + 30_000;
        while (!oldRoot.node().neighbourHandles().contains(newRoot.handle()) && c.overlay.sim().now() < deadline) {
            c.run(5);
        }
        assertThat(oldRoot.node().neighbourHandles()).contains(newRoot.handle());
        c.overlay.network().dropProbability(1.0);
        c.run(3_000);
        c.overlay.network().dropProbability(0);
        c.run(15_000);
        HeldSwarms.Swarm held = c.node(newRoot).tracker.heldForTest(h);
        assertThat(held).as("the new root's list").isNotNull();
        assertThat(held.full).isTrue();
        assertThat(held.size()).isEqualTo(10);
    }
}
