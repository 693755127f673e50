package net.ctracker.partial;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import net.ctracker.overlay.Application;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.message.Message.Direct;
import net.ctracker.overlay.message.Message.Route;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.overlay.sim.LatencyModel;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Produces the figures of {@code docs/distributed.md}. Off by default (minutes of simulation):
 * <pre>
 * ./mvnw -q -pl tracker-node test -Dtest=PartialTrackerFigures -Dsim.figures=true \
 *     [-Dsim.figures.sections=steady,spread,latency] [-Dsim.seed=N] [-Dsim.figures.warmup=2 -Dsim.figures.measure=2]
 * </pre>
 * The report goes to stdout and to {@code target/distributed-figures.md}.
 *
 * <p>Workload: peers of Zipf-popular swarms, each at a random home node; every peer announces
 * {@code started}, then re-announces every interval (30 min, a random phase); per interval
 * {@code churn} of the peers stop and as many new ones start. Only tracker traffic is counted
 * (the overlay's own maintenance is in docs/overlay.md).
 */
@EnabledIfSystemProperty(named = "sim.figures", matches = "true")
public class PartialTrackerFigures {

    static final long HALF_HOUR = 30 * 60_000;
    private final StringBuilder out = new StringBuilder();
    private final long seed = Long.getLong("sim.seed", 20_260_101L);
    /** Intervals of warm-up before the steady state is measured, and intervals measured. */
    private final int warmup = Integer.getInteger("sim.figures.warmup", 2);
    private final int measure = Integer.getInteger("sim.figures.measure", 2);

    {
        if (warmup < 1 || measure < 1) {
            throw new IllegalArgumentException("sim.figures.warmup and sim.figures.measure must be at least 1");
        }
    }
    private final Set<String> sections = Set.of(System.getProperty("sim.figures.sections", "steady,spread,latency").split(","));

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.append(s).append('\n');
        System.out.println(s);
    }

    @Test
    void figures() throws IOException {
        line("# Partial-tracker figures (seed %d, %s)", seed, java.time.LocalDate.now());
        if (sections.contains("steady") || sections.contains("spread")) {
            steadyAndSpread(200, 20_000, 500, 0.02, HALF_HOUR);
            steadyAndSpread(20, 100_000, 2_000, 0.02, HALF_HOUR);
            steadyAndSpread(20, 100_000, 2_000, 0.02, 60_000);
            steadyAndSpread(20, 100_000, 2_000, 0.02, 10_000);
        }
        if (sections.contains("latency")) {
            latency(200, 20_000, 500, HALF_HOUR);
        }
        Path report = Path.of("target", "distributed-figures.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out.toString());
    }

    // ------------------------------------------------------------------ workload

    /** A running workload: peers with home nodes, re-announcing every interval, a share replaced per interval. */
    static final class Workload {
        final SimCluster c;
        final SplittableRandom random;
        final int swarms;
        final double[] cdf;
        final List<SimHost> hosts;
        final long interval;
        long announces;
        int nextPeer;
        boolean counting;

        Workload(SimCluster c, long seed, int swarms, long interval) {
            this.c = c;
            this.interval = interval;
            this.random = new SplittableRandom(seed);
            this.swarms = swarms;
            this.cdf = new double[swarms];
            double sum = 0;
            for (int r = 0; r < swarms; r++) {
                sum += 1.0 / (r + 1);
                cdf[r] = sum;
            }
            for (int r = 0; r < swarms; r++) {
                cdf[r] /= sum;
            }
            this.hosts = c.live();
        }

        int zipf() {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            return Math.min(swarms - 1, i < 0 ? -i - 1 : i);
        }

        /** Starts a peer at a random time within {@code withinMillis}; it lives until {@code diesAt} (never if negative). */
        void spawn(long withinMillis, double churnPerInterval) {
            int p = nextPeer++;
            int swarm = zipf();
            SimHost home = hosts.get(random.nextInt(hosts.size()));
            long start = c.overlay.sim().now() + random.nextLong(Math.max(1, withinMillis));
            // lifetime: exponential with mean interval / churn
            double life = -Math.log(1 - random.nextDouble()) * interval / churnPerInterval;
            long end = start + (long) life;
            schedule(home, start, p, swarm, AnnounceEvent.STARTED, end, churnPerInterval);
        }

        private void schedule(SimHost home, long at, int p, int swarm, AnnounceEvent event, long end, double churn) {
            c.overlay.sim().at(at, home, () -> {
                boolean last = at + interval > end;
                AnnounceEvent e = last && event != AnnounceEvent.STARTED ? AnnounceEvent.STOPPED : event;
                c.announce(home, SimCluster.hash(swarm), SimCluster.ip(p + 1), 6881, SimCluster.peerId(p),
                        p % 4 == 0 ? 0 : 1000, e, 50);
                if (counting) {
                    announces++;
                }
                if (e == AnnounceEvent.STOPPED) {
                    spawn(interval / 10, churn); // a newcomer takes its place soon after
                } else {
                    schedule(home, at + interval, p, swarm, AnnounceEvent.NONE, end, churn);
                }
            });
        }
    }

    private static SimCluster cluster(long seed, int nodes, PartialConfig config, long interval) {
        SimCluster c = new SimCluster(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(), config,
                SimCluster.limits(Duration.ofMillis(2 * interval)), LatencyModel.plane(5, 0.05, 2, 200));
        c.overlay.joinOneAtATime(nodes, 300);
        c.run(30_000);
        return c;
    }

    /** Tracker messages sent, without the coordinate swaps (those run per time, like the overlay's maintenance). */
    private static long trackerMessages(SimCluster c) {
        long n = 0;
        for (SimCluster.Node node : c.nodes.values()) {
            TrackerCounters.Snapshot s = node.counters.snapshot();
            n += s.messagesSent() - s.sent().get(TrackerMessage.Kind.COORDINATES);
        }
        return n;
    }

    private static long coordinateMessages(SimCluster c) {
        long n = 0;
        for (SimCluster.Node node : c.nodes.values()) {
            n += node.counters.snapshot().sent().get(TrackerMessage.Kind.COORDINATES);
        }
        return n;
    }

    private static Map<TrackerCounters.Lookup, Long> lookups(SimCluster c) {
        Map<TrackerCounters.Lookup, Long> m = new java.util.EnumMap<>(TrackerCounters.Lookup.class);
        for (SimCluster.Node node : c.nodes.values()) {
            node.counters.snapshot().lookups().forEach((k, v) -> m.merge(k, v, Long::sum));
        }
        return m;
    }

    private static Map<TrackerCounters.Renewal, Long> renewals(SimCluster c) {
        Map<TrackerCounters.Renewal, Long> m = new java.util.EnumMap<>(TrackerCounters.Renewal.class);
        for (SimCluster.Node node : c.nodes.values()) {
            node.counters.snapshot().renewals().forEach((k, v) -> m.merge(k, v, Long::sum));
        }
        return m;
    }

    private static Map<TrackerMessage.Kind, Long> byKind(SimCluster c) {
        Map<TrackerMessage.Kind, Long> m = new java.util.EnumMap<>(TrackerMessage.Kind.class);
        for (SimCluster.Node node : c.nodes.values()) {
            node.counters.snapshot().sent().forEach((k, v) -> m.merge(k, v, Long::sum));
        }
        return m;
    }

    // ------------------------------------------------------------------ steady state and load spread

    private void steadyAndSpread(int nodes, int peers, int swarms, double churn, long interval) {
        line("");
        line("## %d nodes, %,d peers over %,d Zipf swarms, interval %d s (%.1f announces/s per node), %.0f%% of peers replaced per interval",
                nodes, peers, swarms, interval / 1000, peers * 1000.0 / interval / nodes, churn * 100);
        PartialConfig config = PartialConfig.builder(interval).build();
        SimCluster c = cluster(seed, nodes, config, interval);
        Workload w = new Workload(c, seed, swarms, interval);
        for (int i = 0; i < peers; i++) {
            w.spawn(interval, churn);
        }
        long t0 = System.nanoTime();
        c.run(warmup * interval); // everyone started (within the first interval), then re-announcing
        long m0 = trackerMessages(c);
        long coords0 = coordinateMessages(c);
        Map<TrackerMessage.Kind, Long> k0 = byKind(c);
        long[] recv0 = received(c);
        Map<TrackerCounters.Lookup, Long> l0 = lookups(c);
        Map<TrackerCounters.Renewal, Long> r0 = renewals(c);
        w.counting = true;
        c.run(measure * interval);
        long m1 = trackerMessages(c);
        Map<TrackerMessage.Kind, Long> k1 = byKind(c);
        long[] recv1 = received(c);
        double perAnnounce = (double) (m1 - m0) / Math.max(1, w.announces);
        StringBuilder kinds = new StringBuilder();
        k1.forEach((k, v) -> {
            long d = v - k0.getOrDefault(k, 0L);
            if (d > 0 && k != TrackerMessage.Kind.COORDINATES) {
                kinds.append(String.format(Locale.ROOT, " %s %.3f", k.name().toLowerCase(Locale.ROOT), (double) d / w.announces));
            }
        });
        line("- steady state over %d intervals: %,d announces, %,d tracker messages: **%.3f messages per announce** (by kind:%s)",
                measure, w.announces, m1 - m0, perAnnounce, kinds);
        long[] handled = new long[recv1.length];
        for (int i = 0; i < handled.length; i++) {
            handled[i] = recv1[i] - recv0[i];
        }
        line("- tracker messages handled per node: %s", spread(handled));
        line("- coordinate swaps (not counted above; they run per time, like the overlay's maintenance): %.2f messages per node per minute",
                (coordinateMessages(c) - coords0) / (double) nodes / ((double) measure * interval / 60_000));
        StringBuilder how = new StringBuilder();
        lookups(c).forEach((k, v) -> how.append(String.format(Locale.ROOT, " %s %.3f", k.name().toLowerCase(Locale.ROOT),
                (double) (v - l0.getOrDefault(k, 0L)) / w.announces)));
        line("- how announces got the cluster's peers (share of announces):%s", how);
        StringBuilder renewed = new StringBuilder();
        renewals(c).forEach((k, v) -> renewed.append(String.format(Locale.ROOT, " %s %.3f", k.name().toLowerCase(Locale.ROOT),
                (double) (v - r0.getOrDefault(k, 0L)) / w.announces)));
        line("- renewals of cached answers (per announce):%s", renewed);
        line("  (simulated %.0f s of virtual time in %.1f s)", (double) (warmup + measure) * interval / 1000, (System.nanoTime() - t0) / 1e9);
        if (sections.contains("spread")) {
            dhtBaseline(nodes, peers, swarms, churn, interval);
        }
    }

    private static long[] received(SimCluster c) {
        List<SimHost> hosts = c.overlay.hosts();
        long[] out = new long[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            SimCluster.Node n = c.node(hosts.get(i));
            out[i] = n.counters.snapshot().received().values().stream().mapToLong(Long::longValue).sum();
        }
        return out;
    }

    private static String spread(long[] perNode) {
        long max = 0;
        long sum = 0;
        for (long v : perNode) {
            max = Math.max(max, v);
            sum += v;
        }
        double mean = (double) sum / perNode.length;
        return String.format(Locale.ROOT, "mean %.0f, busiest %d, **busiest / mean %.2f**", mean, max, mean == 0 ? 0 : max / mean);
    }

    /**
     * The same overlay and workload with root-only storage, as a DHT tracker keeps it: every
     * announce is routed to the swarm's root, which stores the peer and answers with peers directly.
     */
    private void dhtBaseline(int nodes, int peers, int swarms, double churn, long interval) {
        PartialConfig config = PartialConfig.builder(interval).build();
        SimCluster c = new SimCluster(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(), config,
                SimCluster.limits(Duration.ofMillis(2 * interval)), LatencyModel.plane(5, 0.05, 2, 200));
        Map<SimHost, long[]> handled = new HashMap<>();
        c.overlay.onCreate(h -> {
            long[] count = new long[1];
            handled.put(h, count);
            Map<InfoHash, Integer> stored = new HashMap<>();
            h.node().register("dht", new Application() {
                @Override
                public Route forward(NodeKey key, Route message, NodeHandle nextHop) {
                    count[0]++;
                    return message;
                }

                @Override
                public void deliver(NodeKey key, Route message) {
                    count[0]++;
                    InfoHash ih = InfoHash.of(message.payload(), 0);
                    stored.merge(ih, 1, Integer::sum);
                    // the answer: up to 50 compact peers, straight to the announcing node
                    int n = Math.min(50, stored.get(ih));
                    h.node().sendDirect(message.origin(), "dht", new byte[6 * n + 20]);
                }

                @Override
                public void direct(NodeHandle from, Direct message) {
                    count[0]++;
                }
            });
        });
        c.overlay.joinOneAtATime(nodes, 300);
        c.run(30_000);
        SplittableRandom random = new SplittableRandom(seed);
        Workload w = new Workload(c, seed, swarms, interval);
        // the same arrivals, but each announce is one routed message to the root
        double[] cdf = w.cdf;
        List<SimHost> hosts = c.live();
        long[] announces = new long[1];
        boolean[] counting = new boolean[1];
        for (int i = 0; i < peers; i++) {
            int swarm = Math.min(swarms - 1, Math.abs(Arrays.binarySearch(cdf, random.nextDouble()) + 1));
            SimHost home = hosts.get(random.nextInt(hosts.size()));
            long start = c.overlay.sim().now() + random.nextLong(interval);
            double life = -Math.log(1 - random.nextDouble()) * interval / churn;
            dhtAnnounce(c, home, start, swarm, start + (long) life, announces, counting, interval);
        }
        c.run(warmup * interval);
        long before = handled.values().stream().mapToLong(a -> a[0]).sum();
        Map<SimHost, Long> base = new HashMap<>();
        handled.forEach((h, a) -> base.put(h, a[0]));
        counting[0] = true;
        c.run(measure * interval);
        long[] per = new long[handled.size()];
        int i = 0;
        for (Map.Entry<SimHost, long[]> e : handled.entrySet()) {
            per[i++] = e.getValue()[0] - base.get(e.getKey());
        }
        long after = handled.values().stream().mapToLong(a -> a[0]).sum();
        line("- the same overlay with root-only storage (a DHT tracker): %.3f messages per announce; handled per node: %s",
                (double) (after - before) / Math.max(1, announces[0]), spread(per));
    }

    private static void dhtAnnounce(SimCluster c, SimHost home, long at, int swarm, long end, long[] announces, boolean[] counting,
                                    long interval) {
        if (at > end) {
            return;
        }
        c.overlay.sim().at(at, home, () -> {
            byte[] payload = ByteBuffer.allocate(26).put(SimCluster.hash(swarm).toBytes()).putInt(swarm).putShort((short) 6881).array();
            home.node().route(NodeKey.of(SimCluster.hash(swarm).toBytes()), "dht", payload);
            if (counting[0]) {
                announces[0]++;
            }
            dhtAnnounce(c, home, at + interval, swarm, end, announces, counting, interval);
        });
    }

    // ------------------------------------------------------------------ latency

    private void latency(int nodes, int peers, int swarms, long interval) {
        line("");
        line("## Time from an announce at one node until the peer is handed out at another (%d nodes, %,d peers, %,d swarms)",
                nodes, peers, swarms);
        PartialConfig config = PartialConfig.builder(interval).build();
        SimCluster c = cluster(seed + 1, nodes, config, interval);
        Workload w = new Workload(c, seed + 1, swarms, interval);
        for (int i = 0; i < peers; i++) {
            w.spawn(interval / 4, 0.0001);
        }
        c.run(interval / 4 + 60_000);
        SplittableRandom random = new SplittableRandom(seed + 2);
        List<SimHost> live = c.live();
        List<Double> atRoot = new ArrayList<>();
        List<Double> handedOut = new ArrayList<>();
        int trials = 200;
        for (int t = 0; t < trials; t++) {
            // a swarm whose cached sample (100 peers) can hold all of it: Zipf ranks 100..499 have at most ~30
            int swarm = 100 + random.nextInt(swarms - 100);
            InfoHash h = SimCluster.hash(swarm);
            SimHost a = live.get(random.nextInt(live.size()));
            SimHost b = live.get(random.nextInt(live.size()));
            while (b == a) {
                b = live.get(random.nextInt(live.size()));
            }
            int p = 1_000_000 + t;
            long t0 = c.overlay.sim().now();
            c.announce(a, h, SimCluster.ip(p), 6881, SimCluster.peerId(p), 1000, AnnounceEvent.STARTED, 50);
            byte[] wanted = ByteBuffer.allocate(6).put(SimCluster.ip(p)).putShort((short) 6881).array();
            SimHost root = c.overlay.trueRoot(NodeKey.of(h.toBytes()));
            double rootAt = -1;
            double outAt = -1;
            // a new peer asks at b every second (numwant 200, so that a small swarm is handed out whole)
            List<SimCluster.Reply> asks = new ArrayList<>();
            for (int step = 0; step < 120_000 && (rootAt < 0 || outAt < 0); step += 10) {
                c.run(10);
                if (rootAt < 0) {
                    HeldSwarms.Swarm s = c.node(root).tracker.heldForTest(h);
                    if (s != null && s.byEndpoint.containsKey(new Endpoint(wanted))) {
                        rootAt = c.overlay.sim().now() - t0;
                    }
                }
                if (step % 1000 == 0) {
                    int q = 2_000_000 + t * 1000 + step / 1000;
                    asks.add(c.announce(b, h, SimCluster.ip(q), 6881, SimCluster.peerId(q), 1000, AnnounceEvent.STARTED, 200));
                }
                for (SimCluster.Reply r : asks) {
                    if (outAt < 0 && r.answered() && r.peers.stream().anyMatch(e -> Arrays.equals(e, wanted))) {
                        outAt = r.answeredAt - t0;
                    }
                }
            }
            if (rootAt >= 0) {
                atRoot.add(rootAt);
            }
            if (outAt >= 0) {
                handedOut.add(outAt);
            }
        }
        line("- the swarm's root holds the new peer after: %s (of %d trials)", quantiles(atRoot), trials);
        line("- another node, asked by a new peer every second, hands it out after: %s (of %d trials; %d not within 120 s)",
                quantiles(handedOut), trials, trials - handedOut.size());
    }

    private static String quantiles(List<Double> values) {
        if (values.isEmpty()) {
            return "no sample";
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
                v[(int) (0.5 * (v.length - 1))], v[(int) (0.9 * (v.length - 1))], v[(int) (0.99 * (v.length - 1))], v[v.length - 1]);
    }
}
