package net.ctracker.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import net.ctracker.announce.AnnounceRequest;
import net.ctracker.announce.AnnounceResponseWriter;
import net.ctracker.announce.QueryParser;
import net.ctracker.announce.TrackerService;
import net.ctracker.announce.TrustedNetworks;
import net.ctracker.bencode.BencodeWriter;
import net.ctracker.metrics.TrackerMetrics;
import net.ctracker.swarm.PeerSelection;
import net.ctracker.swarm.StoreLimits;
import net.ctracker.swarm.SwarmStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The announce hot path without the network: parse the raw query, record the announce in the
 * store, select peers, encode the bencoded reply.
 *
 * <ul>
 *   <li>{@code service}: {@link TrackerService#handle} as the HTTP layer calls it, with the
 *       production metrics on a Prometheus registry;</li>
 *   <li>{@code parseStoreEncode}: the same three steps called directly, without metrics.</li>
 * </ul>
 *
 * <p>Steady state of a busy tracker: the store holds {@code swarms} swarms of {@code peersPerSwarm}
 * IPv4 peers (a quarter seeders) and every request is a re-announce of one of them, in a shuffled
 * order over all swarms, asking for 50 compact peers. One thread; run by bench/jmh.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AnnounceHotPathBenchmark {

    private static final int REQUESTS = 1 << 16;

    @Param("10000")
    public int swarms;

    @Param("60")
    public int peersPerSwarm;

    private SwarmStore store;
    private TrackerService service;
    private AnnounceResponseWriter.ReplySettings reply;
    private String[] targets;
    private InetAddress[] clients;
    private BencodeWriter out;
    private PeerSelection selection;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        StoreLimits limits = new StoreLimits(Duration.ofHours(1), 1_000_000, 50_000, 10_000_000);
        store = new SwarmStore(limits, System::currentTimeMillis, new SplittableRandom(1));
        reply = new AnnounceResponseWriter.ReplySettings(1800, 300, "bench".getBytes(StandardCharsets.US_ASCII), null);
        var settings = new TrackerService.Settings(reply, 50, 200, 64, false, TrustedNetworks.none());
        service = new TrackerService(store, settings, new TrackerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), store), System::nanoTime);
        out = new BencodeWriter(2048);
        selection = new PeerSelection(1024);

        SplittableRandom random = new SplittableRandom(42);
        String[] hashes = new String[swarms];
        for (int s = 0; s < swarms; s++) {
            hashes[s] = percentEncode(randomBytes(random, 20));
        }
        // every peer announces once so the store is full; the measured requests re-announce
        int total = swarms * peersPerSwarm;
        String[] all = new String[total];
        InetAddress[] allClients = new InetAddress[total];
        for (int p = 0; p < total; p++) {
            int s = p % swarms;
            byte[] address = randomBytes(random, 4);
            address[0] = (byte) (1 + (address[0] & 0x7f));
            int port = 1024 + random.nextInt(60000);
            boolean seeder = random.nextInt(4) == 0;
            all[p] = "/announce?info_hash=" + hashes[s] + "&peer_id=" + percentEncode(randomBytes(random, 20))
                    + "&port=" + port + "&uploaded=0&downloaded=0&left=" + (seeder ? 0 : 123456789)
                    + "&compact=1&numwant=50";
            allClients[p] = InetAddress.getByAddress(address);
            service.handle("GET", all[p], allClients[p], name -> null, (status, body) -> { });
        }
        targets = new String[REQUESTS];
        clients = new InetAddress[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int p = random.nextInt(total);
            targets[i] = all[p];
            clients[i] = allClients[p];
        }
        if (store.peerCount() != total) {
            throw new IllegalStateException("store holds " + store.peerCount() + " peers, expected " + total);
        }
    }

    @Benchmark
    public void service(Blackhole bh) {
        int i = next++ & (REQUESTS - 1);
        service.handle("GET", targets[i], clients[i], name -> null, (status, body) -> bh.consume(body.length()));
    }

    @Benchmark
    public void parseStoreEncode(Blackhole bh) {
        int i = next++ & (REQUESTS - 1);
        AnnounceRequest request = QueryParser.parseAnnounce(QueryParser.queryOf(targets[i]));
        byte[] address = clients[i].getAddress();
        byte[] endpoint = new byte[6];
        System.arraycopy(address, 0, endpoint, 0, 4);
        endpoint[4] = (byte) (request.port() >>> 8);
        endpoint[5] = (byte) request.port();
        store.announce(request.infoHash(), endpoint, request.peerId(), request.left(), request.event(),
                request.numwant(), selection);
        out.reset();
        AnnounceResponseWriter.announce(out, reply, selection, address, true, false, false);
        bh.consume(out.length());
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String percentEncode(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 3);
        for (byte x : bytes) {
            b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
        }
        return b.toString();
    }
}
