package net.ctracker.partial;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import net.ctracker.locality.AltoMaps;
import net.ctracker.locality.Coordinate;
import net.ctracker.locality.LocalityObserver;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ranking's cost on a lone node's announce (docs/performance.md, "The ranking measured on its
 * own"): a re-announce into a store of {@code swarms} swarms of {@code peersPerSwarm} IPv4 peers,
 * then the answer made as {@link ClusterPeers} makes it when no other node's peers are cached.
 *
 * <ul>
 *   <li>{@code rankingOff}: the store draws 50 peers and the merge cuts nothing
 *       ({@code ctracker.locality.ranking=false});</li>
 *   <li>{@code rankingOn}: the store draws {@code oversample} (2) x 50 and the merge keeps the best
 *       50 for the requester (the defaults). The difference is the ranking's cost;</li>
 *   <li>{@code oversampledWithoutRanking}: the draw of 100 cut to 50 without ranking, to tell the
 *       larger draw's part of that cost from the ranking's own.</li>
 * </ul>
 *
 * <p>{@code addresses}: {@code random} (requesters and peers anywhere in IPv4, what a public
 * tracker sees) or {@code same} (every peer 127.0.0.1 on its own port, what bench/compare.sh
 * sends). One thread; run by bench/jmh.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RankingBenchmark {

    private static final int REQUESTS = 1 << 16;
    private static final int NUMWANT = 50;
    private static final int OVERSAMPLE = 2;

    @Param({"random", "same"})
    public String addresses;

    @Param("10000")
    public int swarms;

    @Param("200")
    public int peersPerSwarm;

    private SwarmStore store;
    private InfoHash[] hashes;
    private byte[][] endpoints;
    private byte[][] peerIds;
    private int[] swarmOf;
    private PeerSelection selection;
    private AnswerMerger.Ranking ranking;
    private final SplittableRandom random = new SplittableRandom(3);
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        boolean same = addresses.equals("same");
        StoreLimits limits = new StoreLimits(Duration.ofHours(1), 10_000_000, 50_000, 10_000_000);
        store = new SwarmStore(limits, System::currentTimeMillis, new SplittableRandom(1));
        hashes = new InfoHash[swarms];
        for (int s = 0; s < swarms; s++) {
            byte[] h = new byte[20];
            r.nextBytes(h);
            hashes[s] = InfoHash.of(h);
        }
        PeerSelection scratch = new PeerSelection(NUMWANT * OVERSAMPLE).withPeerIds(false);
        int total = swarms * peersPerSwarm;
        byte[][] allEndpoints = new byte[total][];
        byte[][] allIds = new byte[total][];
        for (int p = 0; p < total; p++) {
            allEndpoints[p] = ByteBuffer.allocate(6).putInt(same ? 0x7F00_0001 : r.nextInt())
                    .putShort((short) (1024 + p / swarms)).array();
            allIds[p] = new byte[20];
            r.nextBytes(allIds[p]);
            store.announce(hashes[p % swarms], allEndpoints[p], allIds[p], r.nextInt(4) == 0 ? 0 : 1000,
                    AnnounceEvent.STARTED, 0, scratch);
        }
        if (store.peerCount() != total) {
            throw new IllegalStateException("store holds " + store.peerCount() + " peers, expected " + total);
        }
        endpoints = new byte[REQUESTS][];
        peerIds = new byte[REQUESTS][];
        swarmOf = new int[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int p = r.nextInt(total);
            endpoints[i] = allEndpoints[p];
            peerIds[i] = allIds[p];
            swarmOf[i] = p % swarms;
        }
        selection = new PeerSelection(NUMWANT * OVERSAMPLE).withPeerIds(false);
        Origin self = new Origin(NodeKey.of(new byte[NodeKey.BYTES]), "http://self", "eu",
                new Coordinate(new double[] {0, 0}, 1, 0.1));
        ranking = new AnswerMerger.Ranking(self, AltoMaps.NONE, LocalityObserver.NONE, false);
    }

    private byte[] announce(int draw) {
        int i = next++ & (REQUESTS - 1);
        store.announce(hashes[swarmOf[i]], endpoints[i], peerIds[i], 1000, AnnounceEvent.NONE, draw, selection);
        return endpoints[i];
    }

    @Benchmark
    public void rankingOff(Blackhole bh) {
        byte[] requester = announce(NUMWANT);
        AnswerMerger.merge(selection, CachedSwarm.EMPTY, requester, false, NUMWANT, 0.2, false, 0, random, null);
        bh.consume(selection.total());
    }

    @Benchmark
    public void oversampledWithoutRanking(Blackhole bh) {
        byte[] requester = announce(NUMWANT * OVERSAMPLE);
        AnswerMerger.merge(selection, CachedSwarm.EMPTY, requester, false, NUMWANT, 0.2, false, 0, random, null);
        bh.consume(selection.total());
    }

    @Benchmark
    public void rankingOn(Blackhole bh) {
        byte[] requester = announce(NUMWANT * OVERSAMPLE);
        AnswerMerger.merge(selection, CachedSwarm.EMPTY, requester, false, NUMWANT, 0.2, false, 0, random, ranking);
        bh.consume(selection.total());
    }
}
