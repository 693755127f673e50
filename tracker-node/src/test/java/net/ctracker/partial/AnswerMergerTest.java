package net.ctracker.partial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.Coordinate;
import net.ctracker.locality.LocalityObserver;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.partial.TrackerMessage.Answer;
import net.ctracker.partial.TrackerMessage.Entry;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import org.junit.jupiter.api.Test;

/** The order of a ranked answer, signal by signal, and what ranking must not touch. */
class AnswerMergerTest {

    static final Origin SELF = origin(1, "eu", 0, 0);
    static final byte[] REQUESTER = endpoint(10, 0, 0, 1);
    static final SplittableRandom RANDOM = new SplittableRandom(5);

    static Origin origin(int n, String region, double x, double y) {
        byte[] key = new byte[20];
        key[19] = (byte) n;
        return new Origin(NodeKey.of(key), "http://node" + n, region, new Coordinate(new double[] {x, y}, 1, 0.1));
    }

    static byte[] endpoint(int a, int b, int c, int d) {
        return ByteBuffer.allocate(6).put((byte) a).put((byte) b).put((byte) c).put((byte) d).putShort((short) 6881).array();
    }

    /** A cached sample of remote peers, each with its origin. */
    static CachedSwarm sample(List<byte[]> endpoints, List<Origin> origins) {
        List<Entry> entries = new ArrayList<>();
        List<Origin> table = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            table.add(origins.get(i));
            entries.add(new Entry(endpoints.get(i), new byte[20], false, false, false, 3600, i));
        }
        Answer a = new Answer(InfoHash.of(new byte[20]), true, false, 0, 0, 0, entries);
        return CachedSwarm.EMPTY.with(a, table, false, 0);
    }

    static List<String> peers(PeerSelection s) {
        List<String> out = new ArrayList<>();
        PeerSelection.Family f = s.v4();
        for (int i = 0; i < f.count(); i++) {
            out.add((f.endpoints()[i * 6] & 0xff) + "." + (f.endpoints()[i * 6 + 1] & 0xff) + "."
                    + (f.endpoints()[i * 6 + 2] & 0xff) + "." + (f.endpoints()[i * 6 + 3] & 0xff));
        }
        return out;
    }

    static PeerSelection local(byte[]... endpoints) {
        PeerSelection s = new PeerSelection(100);
        for (byte[] e : endpoints) {
            s.add(e, 0, 6, new byte[20], 0);
        }
        return s;
    }

    static AnswerMerger.Ranking ranking(AltoMaps maps) {
        return new AnswerMerger.Ranking(SELF, maps, LocalityObserver.NONE, false);
    }

    @Test
    void aNodeWithoutASampleKeepsItsClosestPeersAsTheGeneralMergeWould() throws Exception {
        // without a map (IPv4 on ints, the chosen gathered) and with one (the general keys, the chosen marked)
        AltoMaps map = AltoMaps.parse("""
                {"network-map": {"home": {"ipv4": ["10.0.128.0/17"]}, "rest": {"ipv4": ["0.0.0.0/0"]}}}
                """, null);
        for (AltoMaps maps : List.of(AltoMaps.NONE, map)) {
            ownCandidatesRankedAsTheGeneralMerge(maps);
        }
    }

    private static void ownCandidatesRankedAsTheGeneralMerge(AltoMaps maps) {
        SplittableRandom r = new SplittableRandom(31);
        for (int round = 0; round < 200; round++) {
            List<byte[]> own = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // around the requester's 10.0.0.1: some in its /8, /16, /24, some the same address on other ports
                int shift = r.nextInt(33);
                int address = shift == 32 ? 0x0A00_0001 : 0x0A00_0001 ^ (r.nextInt() >>> shift);
                own.add(ByteBuffer.allocate(6).putInt(address).putShort((short) (1000 + i)).array());
            }
            int numwant = 1 + r.nextInt(45);
            PeerSelection fast = local(own.toArray(new byte[0][]));
            PeerSelection general = local(own.toArray(new byte[0][]));
            AnswerMerger.merge(fast, CachedSwarm.EMPTY, REQUESTER, false, numwant, 0.2, false, 1_000, RANDOM, ranking(maps));
            // one expired record makes a sample, so the general merge runs, on the same candidates
            CachedSwarm expired = sample(List.of(endpoint(99, 9, 9, 9)), List.of(origin(2, "us", 0, 0)));
            AnswerMerger.merge(general, expired, REQUESTER, false, numwant, 0.2, false, 1_000 + 3_600_001, RANDOM,
                    ranking(maps));
            assertThat(fast.total()).isEqualTo(Math.min(40, numwant));
            assertThat(new java.util.HashSet<>(endpoints(fast))).as("round %d, numwant %d", round, numwant)
                    .isEqualTo(new java.util.HashSet<>(endpoints(general)));
        }
    }

    private static List<String> endpoints(PeerSelection s) {
        List<String> out = new ArrayList<>();
        PeerSelection.Family f = s.v4();
        for (int i = 0; i < f.count(); i++) {
            out.add(java.util.HexFormat.of().formatHex(f.endpoints(), i * 6, i * 6 + 6));
        }
        return out;
    }

    @Test
    void ipv4KeysWithoutAMapAreTheGeneralRules() {
        SplittableRandom r = new SplittableRandom(29);
        AnswerMerger.Keys keys = new AnswerMerger.Keys();
        for (int i = 0; i < 20_000; i++) {
            byte[] requester = randomV4(r);
            // peers sharing 0..32 leading bits with the requester, the same address (ports decide) among them
            byte[] peer = requester.clone();
            int shared = r.nextInt(34);
            if (shared < 32) {
                int bit = 31 - shared; // the first bit that differs, counted from the right
                int address = ByteBuffer.wrap(requester).getInt() ^ (1 << bit) ^ (r.nextInt() & ((1 << bit) - 1));
                ByteBuffer.wrap(peer).putInt(address);
            }
            peer[4] = (byte) r.nextInt(256);
            peer[5] = (byte) r.nextInt(256);
            keys.reset(ranking(AltoMaps.NONE), requester);
            long expected = generalKey(requester, peer, i & 1023);
            assertThat(keys.of(i & 1023, null, SELF.coordinate(), peer, 0, 6)).as("%s vs %s", hex(requester), hex(peer))
                    .isEqualTo(expected);
        }
    }

    private static byte[] randomV4(SplittableRandom r) {
        byte[] e = new byte[6];
        for (int i = 0; i < 6; i++) {
            e[i] = (byte) r.nextInt(256);
        }
        return e;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** A candidate's key (same node: tier and RTT 0) by the rule as written: IP distance from IpCloseness, then BEP 40. */
    private static long generalKey(byte[] requester, byte[] peer, int index) {
        double d = net.ctracker.locality.IpCloseness.distance(AltoMaps.NONE, java.util.Arrays.copyOf(requester, 4),
                java.util.Arrays.copyOf(peer, 4));
        long ip = d == 0 ? 0 : d < 1e9 ? 1 + Math.min(510, (long) d) : 512 + Math.min(511, (long) (d - 1e9));
        long bep = (0xFFFF_FFFFL - net.ctracker.locality.Bep40.priority(requester, peer)) >>> 10;
        return ip << 32 | bep << 10 | index;
    }

    @Test
    void sameNodeThenSameRegionThenLowerPredictedRttThenIpClosenessThenBep40() {
        Origin near = origin(2, "us", 10, 0);     // another region, 10 + 2 ms away
        Origin far = origin(3, "us", 100, 0);     // another region, 100 + 2 ms away
        Origin sameRegion = origin(4, "eu", 300, 0); // the requester's region but far by coordinates
        CachedSwarm c = sample(List.of(endpoint(10, 7, 0, 1), endpoint(10, 6, 0, 1), endpoint(10, 5, 0, 1),
                endpoint(10, 0, 0, 9), endpoint(10, 0, 9, 9)), List.of(far, near, sameRegion, near, near));
        List<String> rank = List.of(
                "10.9.9.9",   // same node
                "10.5.0.1",   // same region, whatever its RTT
                "10.0.0.9",   // near: the longest common prefix with 10.0.0.1 first
                "10.0.9.9",   // near, shorter prefix
                "10.6.0.1");  // near; the far one (10.7.0.1) comes last
        // an answer is a set: numwant k of 6 candidates, no random share, gets the first k by rank
        for (int k = 1; k <= 5; k++) {
            PeerSelection s = local(endpoint(10, 9, 9, 9));
            AnswerMerger.merge(s, c, REQUESTER, false, k, 0, false, 0, RANDOM, ranking(AltoMaps.NONE));
            assertThat(peers(s)).as("numwant %d", k).containsExactlyInAnyOrderElementsOf(rank.subList(0, k));
        }
    }

    @Test
    void theOperatorsMapOutranksThePrefixAmongPeersOfOneNode() throws Exception {
        AltoMaps maps = AltoMaps.parse("""
                {"network-map": {"home": {"ipv4": ["10.0.0.0/24", "172.16.0.0/12"]}, "rest": {"ipv4": ["0.0.0.0/0"]}}}
                """, null);
        Origin other = origin(2, "us", 10, 0);
        PeerSelection s = new PeerSelection(100);
        CachedSwarm c = sample(List.of(endpoint(10, 0, 1, 1), endpoint(172, 16, 5, 5)), List.of(other, other));
        AnswerMerger.merge(s, c, REQUESTER, false, 1, 0, false, 0, RANDOM, ranking(maps));
        assertThat(peers(s)).as("same PID beats a longer prefix").containsExactly("172.16.5.5");
        s = new PeerSelection(100);
        AnswerMerger.merge(s, c, REQUESTER, false, 1, 0, false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(s)).as("without the map, the prefix decides").containsExactly("10.0.1.1");
    }

    @Test
    void bep40BreaksTiesStably() {
        Origin o = origin(2, "us", 10, 0);
        List<byte[]> endpoints = List.of(endpoint(192, 168, 1, 1), endpoint(172, 20, 1, 1), endpoint(8, 8, 8, 8));
        List<String> first = null;
        for (int run = 0; run < 3; run++) {
            PeerSelection s = new PeerSelection(100);
            AnswerMerger.merge(s, sample(endpoints, List.of(o, o, o)), endpoint(100, 0, 0, 1), false, 2, 0, false, 0,
                    new SplittableRandom(run), ranking(AltoMaps.NONE));
            if (first == null) {
                first = peers(s);
            }
            assertThat(peers(s)).as("the same choice whatever the random stream").isEqualTo(first);
        }
    }

    @Test
    void theRandomShareStaysRandomAndRankingIsOffForSmallSwarms() {
        Origin far = origin(2, "us", 200, 0);
        List<byte[]> endpoints = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            endpoints.add(endpoint(11, 0, 0, i + 1));
            origins.add(far);
        }
        byte[][] locals = new byte[30][];
        for (int i = 0; i < 30; i++) {
            locals[i] = endpoint(10, 9, 0, i + 1);
        }
        int remote = 0;
        int runs = 50;
        java.util.Set<String> remoteSeen = new java.util.HashSet<>();
        for (int run = 0; run < runs; run++) {
            PeerSelection s = local(locals);
            AnswerMerger.merge(s, sample(endpoints, origins), REQUESTER, false, 20, 0.2, false, 0,
                    new SplittableRandom(run), ranking(AltoMaps.NONE));
            List<String> got = peers(s);
            assertThat(got).hasSize(20).doesNotHaveDuplicates();
            for (String p : got) {
                if (p.startsWith("11.")) {
                    remote++;
                    remoteSeen.add(p);
                }
            }
        }
        assertThat(remote).as("a fifth of every answer comes from elsewhere though the node's own rank higher")
                .isEqualTo(4 * runs);
        assertThat(remoteSeen.size()).as("and it is drawn at random from the sample").isGreaterThan(30);

        // no more peers than asked for: everyone, in no particular order
        PeerSelection s = local(endpoint(10, 9, 0, 1));
        AnswerMerger.merge(s, sample(List.of(endpoint(11, 0, 0, 1), endpoint(11, 0, 0, 2)), List.of(far, far)),
                REQUESTER, false, 50, 0.2, false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(s)).containsExactlyInAnyOrder("10.9.0.1", "11.0.0.1", "11.0.0.2");
    }

    @Test
    void neverTheRequesterNorAnExpiredRecordNorADuplicate() {
        Origin o = origin(2, "eu", 1, 0);
        PeerSelection s = local(endpoint(10, 9, 0, 1));
        CachedSwarm c = sample(List.of(REQUESTER, endpoint(10, 9, 0, 1), endpoint(11, 0, 0, 1)), List.of(o, o, o));
        AnswerMerger.merge(s, c, REQUESTER, false, 50, 0.2, false, 3_600_000 - 1, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(s)).containsExactlyInAnyOrder("10.9.0.1", "11.0.0.1");
        s = local();
        AnswerMerger.merge(s, c, REQUESTER, false, 50, 0.2, false, 3_600_000, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(s)).as("every cached record has expired").isEmpty();
    }

    @Test
    void noDuplicateWhenRanking() {
        // more candidates than asked for, so the ranked path runs; the sample repeats itself and the node's own
        Origin o = origin(2, "eu", 1, 0);
        PeerSelection s = local(endpoint(10, 9, 0, 1), endpoint(10, 9, 0, 2));
        List<byte[]> sampled = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sampled.add(endpoint(11, 0, 0, 1 + i % 3));
        }
        sampled.add(endpoint(10, 9, 0, 2));
        CachedSwarm c = sample(sampled, java.util.Collections.nCopies(sampled.size(), o));
        AnswerMerger.merge(s, c, REQUESTER, false, 4, 0.2, false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(s)).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void smallestFirstMovesTheSmallestToTheFront() {
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 2000; run++) {
            int n = random.nextInt(0, 300);
            long[] keys = random.longs(n).distinct().toArray();
            n = keys.length;
            int k = n == 0 ? 0 : random.nextInt(0, n + 1);
            long[] sorted = keys.clone();
            java.util.Arrays.sort(sorted);
            AnswerMerger.smallestFirst(keys, n, k);
            // the k smallest, in any order: an answer is a set of peers
            assertThat(java.util.Arrays.copyOf(keys, k)).as("n %d k %d", n, k).containsExactlyInAnyOrder(java.util.Arrays.copyOf(sorted, k));
            java.util.Arrays.sort(keys);
            assertThat(keys).as("nothing lost").containsExactly(sorted);
        }
    }

    @Test
    void answersOfOneAndOfNoCandidateAndThenALargerOneOnTheSameThread() {
        // the merge reuses its arrays per thread: tiny answers, then a larger one, must all come out whole
        PeerSelection one = local(endpoint(10, 9, 0, 1));
        AnswerMerger.merge(one, CachedSwarm.EMPTY, REQUESTER, false, 50, 0.2, false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(one)).containsExactly("10.9.0.1");
        PeerSelection none = local();
        AnswerMerger.merge(none, CachedSwarm.EMPTY, REQUESTER, false, 50, 0.2, false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(none)).isEmpty();
        Origin o = origin(2, "eu", 1, 0);
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            many.add(endpoint(11, 0, i / 250, 1 + i % 250));
        }
        PeerSelection big = local(endpoint(10, 9, 0, 1), endpoint(10, 9, 0, 2));
        AnswerMerger.merge(big, sample(many, java.util.Collections.nCopies(many.size(), o)), REQUESTER, false, 50, 0.2,
                false, 0, RANDOM, ranking(AltoMaps.NONE));
        assertThat(peers(big)).hasSize(50).doesNotHaveDuplicates().contains("10.9.0.1", "10.9.0.2");
    }
}
