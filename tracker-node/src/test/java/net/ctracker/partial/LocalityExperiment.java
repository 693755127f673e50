package net.ctracker.partial;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import net.ctracker.locality.Coordinate;
import net.ctracker.locality.LocalityConfig;
import net.ctracker.overlay.OverlayConfig;
import net.ctracker.overlay.sim.SimHost;
import net.ctracker.swarm.AnnounceEvent;

/**
 * The locality experiment in the simulator (docs/locality.md): nodes in regions
 * ({@link RegionLatency}: 5..20 ms inside a region, 50..250 ms between), peers placed in the regions
 * and announcing at their nearest node, then new requesters in every swarm. For each requester the
 * RTT to the peers it is handed is compared with (a) a central tracker choosing at random from the
 * whole swarm and (c) the oracle that returns the truly nearest peers.
 */
final class LocalityExperiment {

    /** The experiment's outcome. */
    record Result(int requesters, double handedMedian, double handedP90, double randomMedian, double randomP90,
                  double oracleMedian, double oracleP90, double sameRegionShare, double randomSameRegionShare,
                  double coordinateErrorMedian, double messagesPerAnnounce, double busiestOverMean, long announces,
                  double meanHanded) {

        String describe() {
            return String.format(Locale.ROOT, "requesters %d, handed %.1f peers on average; median RTT to handed peers: "
                            + "CTracker %.1f ms (p90 %.1f), random %.1f ms (p90 %.1f), oracle %.1f ms (p90 %.1f); "
                            + "same-region share CTracker %.2f, random %.2f; coordinate error median %.3f; "
                            + "%.3f tracker messages per announce, busiest/mean %.2f", requesters, meanHanded,
                    handedMedian, handedP90, randomMedian, randomP90, oracleMedian, oracleP90, sameRegionShare,
                    randomSameRegionShare, coordinateErrorMedian, messagesPerAnnounce, busiestOverMean);
        }
    }

    /** A peer of the experiment: where it is, which swarm, its endpoint. */
    private record Peer(int id, int swarm, double[] position, int region, byte[] ip) {
        String endpoint() {
            return SimCluster.hex(ByteBuffer.allocate(6).put(ip).putShort((short) 6881).array());
        }
    }

    static Result run(long seed, int nodes, int regions, int swarms, int peers, int requestersPerSwarm, int numwant,
                      PartialConfig config, LocalityConfig locality) {
        RegionLatency latency = new RegionLatency(regions, seed);
        SimCluster c = new SimCluster(seed, OverlayConfig.builder().snapshotPeriodMillis(0).build(), config, locality,
                SimCluster.limits(Duration.ofHours(2)), latency);
        c.overlay.joinOneAtATime(nodes, 300);
        c.run(10 * 60_000); // let the coordinates settle
        List<SimHost> live = c.live();
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double coordinateError = coordinateError(c, latency, live, random);

        long messagesBefore = messages(c);
        List<List<Peer>> bySwarm = new ArrayList<>();
        for (int s = 0; s < swarms; s++) {
            bySwarm.add(new ArrayList<>());
        }
        Map<String, Peer> byEndpoint = new HashMap<>();
        long announces = 0;
        for (int p = 0; p < peers; p++) {
            Peer peer = newPeer(p, p % swarms, latency, random);
            bySwarm.get(peer.swarm()).add(peer);
            byEndpoint.put(peer.endpoint(), peer);
            c.announce(nearest(peer, live, latency), SimCluster.hash(peer.swarm()), peer.ip(), 6881,
                    SimCluster.peerId(p), p % 4 == 0 ? 0 : 1000, AnnounceEvent.STARTED, numwant);
            announces++;
            if (p % 50 == 49) {
                c.run(1_000);
            }
        }
        c.run(config.cacheTtlMillis() + 5_000); // every cached answer is older than the cache TTL now

        List<Object[]> asked = new ArrayList<>();
        int next = peers;
        for (int s = 0; s < swarms; s++) {
            for (int k = 0; k < requestersPerSwarm; k++) {
                Peer r = newPeer(next++, s, latency, random);
                SimCluster.Reply reply = c.announce(nearest(r, live, latency), SimCluster.hash(s), r.ip(), 6881,
                        SimCluster.peerId(r.id()), 1000, AnnounceEvent.STARTED, numwant);
                announces++;
                asked.add(new Object[] {r, reply});
            }
            c.run(100);
        }
        c.run(config.budgetMillis() + 1_000);
        double messagesPerAnnounce = (double) (messages(c) - messagesBefore) / announces;

        double[] handed = new double[asked.size()];
        double[] rand = new double[asked.size()];
        double[] oracle = new double[asked.size()];
        double same = 0;
        double randomSame = 0;
        double handedCount = 0;
        int n = 0;
        for (Object[] a : asked) {
            Peer r = (Peer) a[0];
            SimCluster.Reply reply = (SimCluster.Reply) a[1];
            List<Peer> swarm = bySwarm.get(r.swarm());
            double[] toAll = new double[swarm.size()];
            for (int i = 0; i < swarm.size(); i++) {
                toAll[i] = RegionLatency.rtt(r.position(), swarm.get(i).position());
            }
            int want = Math.min(numwant, swarm.size());
            double[] sorted = toAll.clone();
            Arrays.sort(sorted);
            oracle[n] = median(Arrays.copyOf(sorted, want));
            double[] pick = new double[want];
            int[] order = new int[swarm.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int sameRandom = 0;
            for (int i = 0; i < want; i++) {
                int j = i + random.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                pick[i] = toAll[order[i]];
                sameRandom += swarm.get(order[i]).region() == r.region() ? 1 : 0;
            }
            rand[n] = median(pick);
            randomSame += (double) sameRandom / want;
            List<Double> got = new ArrayList<>();
            int sameRegion = 0;
            for (byte[] e : reply.peers) {
                Peer q = byEndpoint.get(SimCluster.hex(e));
                if (q != null) {
                    got.add(RegionLatency.rtt(r.position(), q.position()));
                    sameRegion += q.region() == r.region() ? 1 : 0;
                }
            }
            handedCount += got.size();
            handed[n] = got.isEmpty() ? Double.NaN : median(got.stream().mapToDouble(Double::doubleValue).toArray());
            same += got.isEmpty() ? 0 : (double) sameRegion / got.size();
            n++;
        }
        long[] handledPerNode = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
            handledPerNode[i] = c.node(live.get(i)).counters.snapshot().received().values().stream().mapToLong(Long::longValue).sum();
        }
        long max = Arrays.stream(handledPerNode).max().orElse(0);
        double mean = Arrays.stream(handledPerNode).average().orElse(0);
        return new Result(n, quantile(handed, 0.5), quantile(handed, 0.9), quantile(rand, 0.5), quantile(rand, 0.9),
                quantile(oracle, 0.5), quantile(oracle, 0.9), same / n, randomSame / n, coordinateError,
                messagesPerAnnounce, mean == 0 ? 0 : max / mean, announces, handedCount / n);
    }

    private static Peer newPeer(int id, int swarm, RegionLatency latency, SplittableRandom random) {
        int region = random.nextInt(latency.regions);
        double[] pos = latency.point(region, random);
        // addresses follow the regions (one /16 each), as an ISP's address plan would
        byte[] ip = ByteBuffer.allocate(4).put((byte) 10).put((byte) (1 + region)).putShort((short) (id + 1)).array();
        return new Peer(id, swarm, pos, region, ip);
    }

    private static SimHost nearest(Peer p, List<SimHost> live, RegionLatency latency) {
        SimHost best = null;
        double bestRtt = Double.MAX_VALUE;
        for (SimHost h : live) {
            double rtt = RegionLatency.rtt(p.position(), latency.host(h.id()));
            if (rtt < bestRtt) {
                bestRtt = rtt;
                best = h;
            }
        }
        return best;
    }

    /** Median relative error of the RTT the coordinates predict between random pairs of nodes. */
    private static double coordinateError(SimCluster c, RegionLatency latency, List<SimHost> live, SplittableRandom random) {
        double[] errors = new double[2_000];
        for (int i = 0; i < errors.length; i++) {
            SimHost a = live.get(random.nextInt(live.size()));
            SimHost b = live.get(random.nextInt(live.size()));
            if (a == b) {
                errors[i] = Double.NaN;
                continue;
            }
            Coordinate ca = c.node(a).coordinates.current();
            Coordinate cb = c.node(b).coordinates.current();
            double truth = latency.rttMillis(a.id(), b.id());
            errors[i] = Math.abs(ca.rttMillisTo(cb) - truth) / truth;
        }
        return quantile(errors, 0.5);
    }

    /** Tracker messages sent, without coordinate swaps (those run per time, not per announce). */
    private static long messages(SimCluster c) {
        long n = 0;
        for (SimCluster.Node node : c.nodes.values()) {
            TrackerCounters.Snapshot s = node.counters.snapshot();
            n += s.messagesSent() - s.sent().get(TrackerMessage.Kind.COORDINATES);
        }
        return n;
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double quantile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v[Math.min(v.length - 1, (int) Math.floor(q * (v.length - 1) + 0.5))];
    }
}
