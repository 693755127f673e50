package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.sim.LatencyModel;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.overlay.sim.SimSeeds;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.SwarmCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster as one tracker, on the production code in virtual time: 200 nodes, 20,000 peers over
 * 500 swarms of Zipf popularity, each peer announcing at a random node. Seeds come from
 * {@link SimSeeds} (printed on failure, {@code -Dsim.seed=N} replays).
 */
@ExtendWith(SimSeeds.class)
class PartialTrackerSimulationTest {

    static final int NODES = 200;
    static final int PEERS = 20_000;
    static final int SWARMS = 500;
    static final long INTERVAL = 30 * 60_000;

    /** Ground truth: every announced peer, by swarm. */
    static final class Truth {
        final Map<Integer, List<String>> endpoints = new HashMap<>();
        final Map<String, Integer> swarmOf = new HashMap<>();
        final int[] seeders = new int[SWARMS];
        final int[] leechers = new int[SWARMS];
        final long[] firstAnnounce = new long[SWARMS];
    }

    static int[] zipf(SplittableRandom random, int n, int swarms) {
        double[] cdf = new double[swarms];
        double sum = 0;
        for (int r = 0; r < swarms; r++) {
            sum += 1.0 / (r + 1);
            cdf[r] = sum;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = swarms - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[i] = lo;
        }
        return out;
    }

    @Test
    void twoHundredNodesServeEverySwarmSurviveTenPercentKilledAndHandSwarmsToJoiners(long seed) {
        run(seed);
    }

    /**
     * A seed that once left three swarms without their list at their new root: the old root handed
     * them to a joiner that already knew of a closer one, which kept them as a replica.
     */
    @Test
    void joinersHandOnAListHandedToThemWhenTheyKnowACloserRoot() {
        run(11);
    }

    private void run(long seed) {
        PartialConfig config = PartialConfig.builder(INTERVAL).budgetMillis(1_000).build();
        SimCluster c = new SimCluster(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(), config,
                SimCluster.limits(Duration.ofMillis(2 * INTERVAL)), LatencyModel.plane(5, 0.05, 2, 100));
        c.overlay.joinOneAtATime(NODES, 300);
        c.run(30_000);
        SplittableRandom random = new SplittableRandom(seed);
        int[] swarmOfPeer = zipf(random, PEERS, SWARMS);
        Truth truth = new Truth();
        java.util.Arrays.fill(truth.firstAnnounce, -1);
        List<SimCluster.Reply> replies = new ArrayList<>();
        List<Integer> peerOfReply = new ArrayList<>();
        List<SimHost> live = c.live();
        for (int p = 0; p < PEERS; p++) {
            int swarm = swarmOfPeer[p];
            boolean seeder = p % 4 == 0;
            SimHost at = live.get(random.nextInt(live.size()));
            byte[] ip = SimCluster.ip(p + 1);
            String endpoint = SimCluster.hex(java.nio.ByteBuffer.allocate(6).put(ip).putShort((short) 6881).array());
            truth.endpoints.computeIfAbsent(swarm, s -> new ArrayList<>()).add(endpoint);
            truth.swarmOf.put(endpoint, swarm);
            if (seeder) {
                truth.seeders[swarm]++;
            } else {
                truth.leechers[swarm]++;
            }
            if (truth.firstAnnounce[swarm] < 0) {
                truth.firstAnnounce[swarm] = c.overlay.sim().now();
            }
            replies.add(c.announce(at, SimCluster.hash(swarm), ip, 6881, SimCluster.peerId(p), seeder ? 0 : 1000,
                    AnnounceEvent.STARTED, 50));
            peerOfReply.add(p);
            if (p % 100 == 99) {
                c.run(1_000);
            }
        }
        c.run(5_000);

        // every peer got peers of its own swarm, never itself, from the node it announced at
        int unanswered = 0;
        int foreign = 0;
        int empty = 0;
        int expectedSome = 0;
        for (int i = 0; i < replies.size(); i++) {
            SimCluster.Reply r = replies.get(i);
            int p = peerOfReply.get(i);
            int swarm = swarmOfPeer[p];
            if (!r.answered()) {
                unanswered++;
                continue;
            }
            String self = SimCluster.hex(java.nio.ByteBuffer.allocate(6).put(SimCluster.ip(p + 1)).putShort((short) 6881).array());
            for (byte[] e : r.peers) {
                String h = SimCluster.hex(e);
                Integer s = truth.swarmOf.get(h);
                if (s == null || s != swarm || h.equals(self)) {
                    foreign++;
                }
            }
            // a swarm whose first peer announced at least 2 s before: the answer must hold someone
            if (r.answeredAt - truth.firstAnnounce[swarm] > 2_000 && !truth.endpoints.get(swarm).get(0).equals(self)) {
                expectedSome++;
                if (r.peers.isEmpty()) {
                    empty++;
                }
            }
        }
        assertThat(unanswered).as("announces never answered (seed %d)", seed).isZero();
        assertThat(foreign).as("peers of another swarm, or the requester itself (seed %d)", seed).isZero();
        assertThat(empty).as("answers without a peer although the swarm had some elsewhere, of %d (seed %d)",
                expectedSome, seed).isZero();

        // counts are cached for up to the cache TTL: check once every cached count is newer than the last announce
        c.run(config.cacheTtlMillis());
        checkCounts(c, c.live(), truth, "before any failure", seed);

        // kill 10% at once; after repair every swarm is still discoverable from every live node
        c.overlay.killFraction(0.10);
        c.run(120_000);
        checkCounts(c, c.live(), truth, "after 10% were killed", seed);

        // joins: each swarm's new root receives its full list
        c.overlay.joinOneAtATime(20, 300);
        c.run(60_000);
        int wrongRoots = 0;
        for (int s = 0; s < SWARMS; s++) {
            InfoHash h = SimCluster.hash(s);
            SimHost root = c.overlay.trueRoot(NodeKey.of(h.toBytes()));
            HeldSwarms.Swarm held = c.node(root).tracker.heldForTest(h);
            int expected = truth.seeders[s] + truth.leechers[s];
            if (expected > 0 && (held == null || !held.full || held.size() != expected)) {
                wrongRoots++;
            }
        }
        assertThat(wrongRoots).as("swarms whose true root lacks the full list after 20 joins (seed %d)", seed).isZero();
        checkCounts(c, c.live().subList(0, 40), truth, "after 20 joins", seed);
    }

    /** Where the overlay holds swarm {@code s}, for the failure message: true root, holders, route from {@code h}. */
    private static String whereHeld(SimCluster c, int s, SimHost h) {
        InfoHash ih = SimCluster.hash(s);
        NodeKey key = NodeKey.of(ih.toBytes());
        StringBuilder b = new StringBuilder(" [true root " + c.overlay.trueRoot(key) + "; local " + c.node(h).store.scrape(ih));
        for (SimHost x : c.overlay.hosts()) {
            HeldSwarms.Swarm hs = c.node(x).tracker.heldForTest(ih);
            if (hs != null) {
                b.append("; ").append(hs.full ? "full" : "path").append(" at ").append(x).append(" size ").append(hs.size());
            }
        }
        return b.append("; route ").append(c.overlay.walk(h, key)).append(']').toString();
    }

    /** Scrapes every swarm at every node of {@code from} (ten nodes at a time) and compares with the truth. */
    private static void checkCounts(SimCluster c, List<SimHost> from, Truth truth, String when, long seed) {
        int wrong = 0;
        int unanswered = 0;
        List<String> examples = new ArrayList<>();
        for (int first = 0; first < from.size(); first += 10) {
            List<SimHost> group = from.subList(first, Math.min(from.size(), first + 10));
            List<Object[]> asked = new ArrayList<>();
            for (SimHost h : group) {
                for (int start = 0; start < SWARMS; start += 74) {
                    List<InfoHash> hashes = new ArrayList<>();
                    for (int s = start; s < Math.min(SWARMS, start + 74); s++) {
                        hashes.add(SimCluster.hash(s));
                    }
                    long[] at = new long[1];
                    asked.add(new Object[] {h, start, hashes, at, c.scrape(h, hashes, at)});
                }
            }
            c.run(1_100);
            for (Object[] a : asked) {
                SimHost h = (SimHost) a[0];
                int start = (Integer) a[1];
                @SuppressWarnings("unchecked")
                List<InfoHash> hashes = (List<InfoHash>) a[2];
                long[] at = (long[]) a[3];
                @SuppressWarnings("unchecked")
                List<SwarmCounts> counts = (List<SwarmCounts>) a[4];
                if (at[0] < 0) {
                    unanswered++;
                    continue;
                }
                for (int i = 0; i < hashes.size(); i++) {
                    int s = start + i;
                    SwarmCounts got = counts.get(i);
                    if (got.complete() != truth.seeders[s] || got.incomplete() != truth.leechers[s]) {
                        wrong++;
                        if (examples.size() < 5) {
                            examples.add("swarm " + s + " at " + h + ": " + got + " vs " + truth.seeders[s] + "/" + truth.leechers[s]
                                    + whereHeld(c, s, h));
                        }
                    }
                }
            }
        }
        assertThat(unanswered).as("scrapes never answered %s (seed %d)", when, seed).isZero();
        assertThat(wrong).as("swarm counts wrong %s, seen from %d nodes (seed %d): %s", when, from.size(), seed, examples).isZero();
    }
}
